package io.github.dl4jspectral.compact;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Test tools that take compact model files apart and put changed ones together, with valid zip CRCs. */
final class ZipSurgery {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A byte range of a zip file and what it holds. */
    record Region(String what, int start, int end) {
    }

    private ZipSurgery() {
    }

    /** The entries of the valid zip {@code zip}, in file order. */
    static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** A zip of {@code entries} (deflated, in order), every CRC valid. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {@code entries} with the manifest's digests made to match them again: the length and SHA-256 of every entry the
     * manifest lists (if it is JSON), then the manifest's own digest entry. What a deliberate forger would do: only
     * the reader's structural checks stand between such a file and the network.
     */
    static Map<String, byte[]> resealed(Map<String, byte[]> entries) {
        Map<String, byte[]> sealed = new LinkedHashMap<>(entries);
        byte[] manifest = entries.get(CompactModelFile.MANIFEST);
        try {
            JsonNode root = JSON.readTree(manifest);
            if (root.get("entries") instanceof ObjectNode listed) {
                for (Iterator<String> names = listed.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (entries.containsKey(name)) {
                        EntryDigest digest = EntryDigest.of(entries.get(name));
                        ((ObjectNode) listed.get(name)).put("bytes", digest.bytes()).put("sha256", digest.sha256());
                    }
                }
                manifest = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            }
        } catch (IOException e) {
            // not JSON: keep the manifest's bytes as they are
        }
        sealed.put(CompactModelFile.MANIFEST, manifest);
        sealed.put(CompactModelFile.MANIFEST_DIGEST, EntryDigest.sha256(manifest).getBytes(StandardCharsets.US_ASCII));
        return sealed;
    }

    /** The regions of the zip {@code zip}: each entry's local header, data and data descriptor, the central directory's
     * header of each, and the end record. */
    static List<Region> regions(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (b.getInt(end) != 0x06054b50) {
            end--;
        }
        List<Region> regions = new ArrayList<>();
        regions.add(new Region("end of central directory", end, zip.length));
        int p = b.getInt(end + 16);
        for (int i = 0; i < Short.toUnsignedInt(b.getShort(end + 10)); i++) {
            int n = Short.toUnsignedInt(b.getShort(p + 28));
            int header = 46 + n + Short.toUnsignedInt(b.getShort(p + 30)) + Short.toUnsignedInt(b.getShort(p + 32));
            String name = new String(zip, p + 46, n, StandardCharsets.UTF_8);
            int compressed = b.getInt(p + 20);
            int local = b.getInt(p + 42);
            int data = local + 30 + Short.toUnsignedInt(b.getShort(local + 26))
                    + Short.toUnsignedInt(b.getShort(local + 28));
            regions.add(new Region("central directory header of " + name, p, p + header));
            regions.add(new Region("local header of " + name, local, data));
            regions.add(new Region("data of " + name, data, data + compressed));
            if ((b.getShort(p + 8) & 8) != 0) {
                regions.add(new Region("data descriptor of " + name, data + compressed, data + compressed + 16));
            }
            p += header;
        }
        return regions;
    }

    /**
     * Writes a zip of {@code entries} (stored, not deflated) with one more entry {@code hugeName} of {@code hugeSize}
     * zero bytes inserted before entry number {@code index}. The zeros are a hole of a sparse file: nothing is held in
     * memory and hardly anything written to disk. {@code hugeSize} must stay below 4 GiB (no zip64 records).
     */
    static void writeWithHugeEntry(Path file, Map<String, byte[]> entries, String hugeName, long hugeSize, int index)
            throws IOException {
        List<String> names = new ArrayList<>(entries.keySet());
        names.add(index, hugeName);
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            for (String name : names) {
                byte[] data = entries.get(name);
                long size = data == null ? hugeSize : data.length;
                long crc = data == null ? zerosCrc(hugeSize) : crc(data);
                byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
                long offset = out.position();
                ByteBuffer local = header(30 + nameBytes.length).putInt(0x04034b50).putShort((short) 20)
                        .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0x21)
                        .putInt((int) crc).putInt((int) size).putInt((int) size).putShort((short) nameBytes.length)
                        .putShort((short) 0).put(nameBytes);
                out.write(local.flip());
                if (data == null) {
                    out.position(out.position() + hugeSize);
                } else {
                    out.write(ByteBuffer.wrap(data));
                }
                central.write(header(46 + nameBytes.length).putInt(0x02014b50).putShort((short) 20)
                        .putShort((short) 20).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0x21).putInt((int) crc).putInt((int) size).putInt((int) size)
                        .putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(nameBytes)
                        .array());
            }
            long centralOffset = out.position();
            out.write(ByteBuffer.wrap(central.toByteArray()));
            out.write(header(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) names.size()).putShort((short) names.size()).putInt(central.size())
                    .putInt((int) centralOffset).putShort((short) 0).flip());
        }
    }

    private static ByteBuffer header(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private static long zerosCrc(long size) {
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[1 << 20];
        for (long left = size; left > 0; left -= zeros.length) {
            crc.update(zeros, 0, (int) Math.min(left, zeros.length));
        }
        return crc.getValue();
    }
}
