package jover.fuse.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Test helpers for golden byte arrays written by hand as hex, one field per string. */
final class Hex {
    /** Filler for bytes a codec must not touch (or must overwrite, e.g. zeroed padding). */
    static final byte GUARD = (byte) 0xAA;

    private Hex() {
    }

    /** Concatenates the bytes of hex fields such as "08 07 06 05"; whitespace is ignored. */
    static byte[] hex(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : fields) {
            String s = f.replaceAll("\\s+", "");
            if (s.length() % 2 != 0) {
                throw new IllegalArgumentException("odd hex: " + f);
            }
            for (int i = 0; i < s.length(); i += 2) {
                out.write(Integer.parseInt(s.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    /** {@code n} zero bytes as a hex field. */
    static String zeros(int n) {
        return " 00".repeat(n);
    }

    /** A little-endian heap buffer of {@code size} bytes, every byte set to {@link #GUARD}. */
    static ByteBuffer guarded(int size) {
        byte[] a = new byte[size];
        Arrays.fill(a, GUARD);
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code len} bytes of {@code b} at absolute offset {@code off}. */
    static byte[] slice(ByteBuffer b, int off, int len) {
        byte[] r = new byte[len];
        b.get(off, r);
        return r;
    }

    /** Hex dump for failure messages. */
    static String dump(byte[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (i % 8 == 0) {
                sb.append(String.format("%n%4d:", i));
            }
            sb.append(String.format(" %02x", a[i] & 0xff));
        }
        return sb.toString();
    }
}
