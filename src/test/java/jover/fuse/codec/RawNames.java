package jover.fuse.codec;

import static org.quicktheories.generators.SourceDSL.lists;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of raw file names: strings of chars 1-255 (one per byte), never NUL or '/'. */
public final class RawNames {
    private RawNames() {
    }

    /** One name byte: 1-255 except '/', shrinking towards 1. */
    public static Gen<Character> nameChars() {
        return Generate.range(1, 254).map(v -> (char) (v >= '/' ? v + 1 : v));
    }

    /** Names of {@code min} to {@code max} bytes. */
    public static Gen<String> names(int min, int max) {
        return lists().of(nameChars()).ofSizeBetween(min, max).map(cs -> {
            StringBuilder sb = new StringBuilder(cs.size());
            cs.forEach(sb::append);
            return sb.toString();
        });
    }
}
