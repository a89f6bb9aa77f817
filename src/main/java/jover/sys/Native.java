package jover.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads the C library once and reads errno after a failed call. */
final class Native {
    static final LibC C = LibraryLoader.create(LibC.class).failImmediately().load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private Native() {
    }

    static int errno() {
        return RUNTIME.getLastError();
    }

    static String strerror(int errno) {
        return C.strerror(errno);
    }
}
