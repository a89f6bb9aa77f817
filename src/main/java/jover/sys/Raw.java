package jover.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Conversions between raw strings (one char per byte), byte arrays and user-facing text. */
public final class Raw {
    private Raw() {
    }

    /** The raw string of these bytes. */
    public static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The raw string of {@code len} bytes at {@code off}. */
    public static String of(byte[] bytes, int off, int len) {
        return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
    }

    /** The raw string naming this path's bytes as the kernel sees them (paths are UTF-8 here). */
    public static String of(Path path) {
        return of(path.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of a raw string. */
    public static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes of a raw string followed by a NUL, ready to pass as a C string. */
    public static byte[] cString(String raw) {
        int n = raw.length();
        byte[] out = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) raw.charAt(i);
        }
        return out;
    }

    /** A raw string shown to a person: its bytes read as UTF-8. */
    public static String display(String raw) {
        return new String(bytes(raw), StandardCharsets.UTF_8);
    }
}
