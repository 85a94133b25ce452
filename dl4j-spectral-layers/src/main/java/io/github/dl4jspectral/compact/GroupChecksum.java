package io.github.dl4jspectral.compact;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a parameter group's values: its data type's name and shape, then its values in row-major ('c') order
 * of the logical indices (whatever the memory order or view) as the big-endian bits of the array's data type (float
 * bits for FLOAT, double bits for DOUBLE, the exact double value for other types). Two groups have the same checksum
 * exactly when (up to SHA-256 collisions) they hold the same numbers bit for bit.
 */
final class GroupChecksum {

    private GroupChecksum() {
    }

    /** The checksum of {@code values}, in lower-case hex. */
    static String of(INDArray values) {
        MessageDigest digest = sha256();
        digest.update((values.dataType().name() + java.util.Arrays.toString(values.shape())).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        INDArray c = values.dup('c');
        ByteBuffer bytes;
        if (values.dataType() == DataType.FLOAT) {
            float[] v = c.data().asFloat();
            bytes = ByteBuffer.allocate(4 * v.length);
            for (float x : v) {
                bytes.putInt(Float.floatToRawIntBits(x));
            }
        } else {
            double[] v = c.data().asDouble();
            bytes = ByteBuffer.allocate(8 * v.length);
            for (double x : v) {
                bytes.putLong(Double.doubleToRawLongBits(x));
            }
        }
        digest.update(bytes.array());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A new SHA-256 digest. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM; every Java platform must provide it", e);
        }
    }
}
