package io.github.dl4jspectral.compact;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The length and SHA-256 of one entry's bytes as the manifest records them; the reader compares every entry it uses
 * with its digest before interpreting a byte of it.
 *
 * @param bytes  the entry's length in bytes (uncompressed)
 * @param sha256 the SHA-256 of those bytes, 64 lower-case hex digits
 */
record EntryDigest(long bytes, String sha256) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    static EntryDigest of(byte[] content) {
        return new EntryDigest(content.length, sha256(content));
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(GroupChecksum.sha256().digest(content));
    }

    /** Whether {@code text} has the form of a SHA-256 as this format writes it. */
    static boolean isSha256(String text) {
        return HEX.matcher(text).matches();
    }

    /** Throws unless {@code content} of entry {@code name} has this length and SHA-256. */
    void verify(Path file, String name, byte[] content) {
        if (content.length != bytes) {
            throw CompactModelException.in(file, name, "length = " + content.length + " bytes; expected " + bytes
                    + ", as the manifest records");
        }
        String actual = sha256(content);
        if (!actual.equals(sha256)) {
            throw CompactModelException.in(file, name, "sha256 = " + actual + "; expected " + sha256
                    + ", as the manifest records (the entry is corrupt)");
        }
    }
}
