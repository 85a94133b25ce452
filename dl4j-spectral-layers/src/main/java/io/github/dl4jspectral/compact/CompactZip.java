package io.github.dl4jspectral.compact;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The entries of a compact model file, found through the zip's central directory: only the entries asked for are
 * read, each at most to a cap the caller derives from the manifest (an entry declaring or inflating to more is refused
 * without being read further, so memory never exceeds the cap), and each is checked against the length and CRC-32 the
 * central directory records. Every problem with the zip's content is a {@link CompactModelException} naming the file
 * and the entry.
 */
final class CompactZip implements Closeable {

    /** The most bytes one entry can hold: the largest Java array. */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

    private final Path file;
    private final ZipFile zip;

    private CompactZip(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    /**
     * Opens {@code file}'s central directory.
     *
     * @throws CompactModelException if it is not a readable zip
     * @throws IOException           if the file cannot be opened (missing, unreadable)
     */
    static CompactZip open(Path file) throws IOException {
        return new CompactZip(file, zipFile(file));
    }

    /** Whether {@code file} is a readable zip with an entry {@code name} of at most {@code cap} bytes (none read). */
    static boolean holds(Path file, String name, long cap) throws IOException {
        try (ZipFile zip = zipFile(file)) {
            ZipEntry entry = zip.getEntry(name);
            return entry != null && entry.getSize() <= cap;
        } catch (CompactModelException e) {
            return false;
        }
    }

    private static ZipFile zipFile(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            // the JDK's own exception for a missing, unreadable or special file
            return new ZipFile(file.toFile());
        }
        try {
            return new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CompactModelException(file + ": not a readable zip (" + e + "); expected a compact model file",
                    e);
        }
    }

    boolean contains(String name) {
        return zip.getEntry(name) != null;
    }

    /** The names of all entries, from the central directory. */
    List<String> names() {
        return zip.stream().map(ZipEntry::getName).toList();
    }

    /**
     * The bytes of entry {@code name}, of at most {@code cap} bytes, checked against the central directory's length
     * and CRC-32.
     *
     * @throws CompactModelException if the entry is missing, longer than {@code cap}, or cannot be read intact
     */
    byte[] read(String name, long cap) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw CompactModelException.in(file, name, "missing; expected one");
        }
        long limit = Math.min(cap, MAX_ENTRY_BYTES);
        if (entry.getSize() > limit) {
            throw CompactModelException.in(file, name, "size = " + entry.getSize() + " bytes; expected at most "
                    + limit);
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes((int) limit + 1);
        } catch (IOException | RuntimeException e) {
            throw CompactModelException.in(file, name, "cannot be read", e);
        }
        if (bytes.length > limit) {
            throw CompactModelException.in(file, name, "holds more than " + limit + " bytes; expected at most "
                    + limit);
        }
        if (entry.getSize() != bytes.length) {
            throw CompactModelException.in(file, name, "length = " + bytes.length + " bytes; expected "
                    + entry.getSize() + ", as the zip's central directory records");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != entry.getCrc()) {
            throw CompactModelException.in(file, name, "crc32 = " + Long.toHexString(crc.getValue()) + "; expected "
                    + Long.toHexString(entry.getCrc()) + ", as the zip's central directory records");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
