package jover.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.sys.ErrnoException;
import jover.sys.Errno;
import jover.sys.Sys;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Overlay-private xattrs through the mount, as kernel overlayfs (6.7+) shows them: its own
 * metadata is hidden and reads as absent; names escaped for a nested overlay
 * ({@code trusted.overlay.overlay.X}) show unescaped ({@code trusted.overlay.X}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PrivateXattrTest {
    private static final List<String> ASKED = List.of("trusted.overlay.opaque", "trusted.overlay.nested",
            "trusted.overlay.overlay.nested", "user.overlay.opaque", "user.fuseoverlayfs.opaque", "user.plain");

    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseAndKernelOverlay();
    }

    /** listxattr, then getxattr of each name asked, as "name=value" or "name:ERRNO" lines. */
    private static List<String> view(Path p) throws ErrnoException {
        List<String> out = new ArrayList<>(Sys.llistxattr(p.toString()));
        Collections.sort(out);
        for (String n : ASKED) {
            try {
                out.add(n + "=" + new String(Sys.lgetxattr(p.toString(), n)));
            } catch (ErrnoException e) {
                out.add(n + ":" + Errno.name(e.errno()));
            }
        }
        return out;
    }

    @Test
    void privateXattrsReadAsTheKernelShowsThem() throws Exception {
        Path dir = fx.newDir("xattr");
        Path top = Files.createDirectories(dir.resolve("L1/d"));
        Files.createDirectories(dir.resolve("L2/d"));
        Files.writeString(dir.resolve("L1/f"), "f\n");
        for (Path p : List.of(top, dir.resolve("L1/f"))) {
            Sys.lsetxattr(p.toString(), "trusted.overlay.overlay.nested", "n".getBytes(), 0);
            Sys.lsetxattr(p.toString(), "user.plain", "p".getBytes(), 0);
        }
        Sys.lsetxattr(top.toString(), "trusted.overlay.opaque", "y".getBytes(), 0);
        List<Path> lowers = List.of(dir.resolve("L1"), dir.resolve("L2"));

        Path k = fx.kernel(lowers, Optional.empty(), Optional.empty(), Files.createDirectory(dir.resolve("k")), false)
                .mountPoint();
        Path j = fx.jover(lowers, Files.createDirectory(dir.resolve("j"))).mountPoint();
        for (String name : List.of("d", "f")) {
            List<String> kernel = view(k.resolve(name));
            assertEquals(kernel, view(j.resolve(name)), name);
            assertEquals(true, kernel.contains("trusted.overlay.nested=n"), "kernel unescapes: " + kernel);
        }
    }
}
