package jover.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds (packaging/build-deb.sh): its control fields, its files
 * and their modes, that they are the build's own files, that the completion script loads in bash,
 * and (where lintian is installed) that lintian finds no error. Runs after package; needs no root.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JoverDebIT {
    static final String DEPENDS = "default-jre-headless (>= 2:1.17) | java17-runtime-headless, fuse3";

    private static Path deb;
    /** Path in the package (as "/usr/bin/jover") to its dpkg-deb -c line. */
    private static Map<String, String> entries;

    @TempDir
    Path tmp;

    @BeforeAll
    static void listPackage() throws Exception {
        deb = Packaging.deb();
        entries = new LinkedHashMap<>();
        for (String line : Packaging.run(List.of("dpkg-deb", "-c", deb.toString())).ok("dpkg-deb -c").out().lines()
                .collect(Collectors.toList())) {
            String path = line.substring(line.indexOf("./") + 1);
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            entries.put(path, line);
        }
    }

    @Test
    void controlFields() throws Exception {
        Packaging.Result info = Packaging.run(List.of("dpkg-deb", "-I", deb.toString())).ok("dpkg-deb -I");
        assertTrue(info.out().contains(" control") && info.out().contains(" md5sums"), info.out());
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : List.of("Package", "Version", "Architecture", "Depends", "Maintainer", "Section",
                "Priority", "Installed-Size", "Description")) {
            fields.put(field, Packaging.run(List.of("dpkg-deb", "-f", deb.toString(), field)).ok("dpkg-deb -f")
                    .out().lines().findFirst().orElse(""));
        }
        assertEquals("jover", fields.get("Package"));
        assertEquals("all", fields.get("Architecture"));
        assertEquals(DEPENDS, fields.get("Depends"));
        // the upstream part is the pom's version (-SNAPSHOT sorts before the release as ~SNAPSHOT)
        String upstream = Packaging.version().replace('-', '~');
        assertTrue(fields.get("Version").matches("\\Q" + upstream + "\\E-[0-9]+"),
                "Version " + fields.get("Version") + " is not " + upstream + "-N: add an entry to packaging/deb/changelog");
        assertEquals("jover_" + fields.get("Version") + "_all.deb", deb.getFileName().toString());
        assertTrue(fields.get("Installed-Size").matches("[0-9]+"), fields.toString());
        for (String field : List.of("Maintainer", "Section", "Priority", "Description")) {
            assertFalse(fields.get(field).isBlank(), field + " is empty");
        }
    }

    @Test
    void filesModesAndOwners() throws Exception {
        assertEquals("-rwxr-xr-x", mode("/usr/bin/jover"));
        for (String file : List.of("/usr/share/jover/jover.jar", "/usr/share/man/man1/jover.1.gz",
                "/usr/share/bash-completion/completions/jover", "/usr/share/doc/jover/copyright",
                "/usr/share/doc/jover/changelog.Debian.gz")) {
            assertEquals("-rw-r--r--", mode(file), file);
        }
        // exactly the jars of the manifest's Class-Path, next to the jar as it expects them
        Set<String> libs = new TreeSet<>();
        for (String entry : Packaging.classPath()) {
            libs.add("/usr/share/jover/" + entry);
        }
        Set<String> packaged = entries.keySet().stream().filter(p -> p.startsWith("/usr/share/jover/lib/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(libs, packaged, "usr/share/jover/lib/ holds exactly the jars jover.jar's Class-Path names");
        for (Map.Entry<String, String> e : entries.entrySet()) {
            assertTrue(e.getValue().contains(" root/root "), "not owned by root: " + e.getValue());
            assertTrue(e.getKey().matches("/|/usr(/.*)?"), "outside /usr: " + e.getKey());
            assertFalse(e.getKey().contains("mount.fuse"),
                    "mount(8) needs no mount.fuse.jover (fuse3's mount.fuse runs jover): " + e.getKey());
        }
    }

    private static String mode(String path) {
        String line = entries.get(path);
        assertTrue(line != null, path + " is not in the package: " + entries.keySet());
        return line.substring(0, 10);
    }

    @Test
    void theFilesAreTheBuildsOwn() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Packaging.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).ok("dpkg-deb -x");
        assertArrayEquals(Files.readAllBytes(Path.of("bin/jover")), Files.readAllBytes(root.resolve("usr/bin/jover")),
                "/usr/bin/jover is bin/jover");
        assertArrayEquals(Files.readAllBytes(Packaging.JAR), Files.readAllBytes(root.resolve("usr/share/jover/jover.jar")));
        for (String entry : Packaging.classPath()) {
            assertArrayEquals(Files.readAllBytes(Packaging.TARGET.resolve(entry)),
                    Files.readAllBytes(root.resolve("usr/share/jover").resolve(entry)), entry);
        }
        assertArrayEquals(Files.readAllBytes(ManPageTest.MAN_PAGE), gunzip(root.resolve("usr/share/man/man1/jover.1.gz")));
        assertArrayEquals(Files.readAllBytes(Path.of("packaging/deb/changelog")),
                gunzip(root.resolve("usr/share/doc/jover/changelog.Debian.gz")));
        assertArrayEquals(Files.readAllBytes(Path.of("packaging/deb/copyright")),
                Files.readAllBytes(root.resolve("usr/share/doc/jover/copyright")));
        assertArrayEquals(Files.readAllBytes(Packaging.TARGET.resolve("completion/jover")),
                Files.readAllBytes(root.resolve("usr/share/bash-completion/completions/jover")));
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** bash loads the script and completes commands, options and their values from it. */
    @Test
    void theCompletionScriptLoadsInBash() throws Exception {
        Path script = Packaging.TARGET.resolve("completion/jover");
        Packaging.Result loaded = Packaging.run(List.of("bash", "-c", "source \"$1\" && complete -p jover", "_",
                script.toString())).ok("sourcing the completion script");
        assertEquals("complete -o default -F _complete_jover jover", loaded.out().trim());

        Path dir = Files.createDirectories(tmp.resolve("compl/layer-one"));
        assertEquals("--lower", complete(script, "jover mount --lo"));
        assertEquals("-l --lazy -h --help", complete(script, "jover umount -"));
        assertEquals("mount umount", complete(script, "jover help "));
        assertEquals(dir.toString(), complete(script, "jover mount --lower " + tmp.resolve("compl/lay")));
        assertEquals(dir.toString(), complete(script, "jover umount " + tmp.resolve("compl/lay")));
    }

    /** What bash completes at the end of {@code line}, the candidates joined by spaces. */
    private static String complete(Path script, String line) throws Exception {
        String driver = "source \"$1\"\n"
                + "COMP_LINE=$2; read -ra COMP_WORDS <<<\"$2\"\n"
                + "[[ $2 == *' ' ]] && COMP_WORDS+=('')\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#COMP_LINE}\n"
                + "_complete_jover 2>/dev/null\n"
                + "echo \"${COMPREPLY[*]}\"\n";
        return Packaging.run(List.of("bash", "-c", driver, "_", script.toString(), line)).ok("completing " + line)
                .out().trim();
    }

    @Test
    void lintianFindsNoError() throws Exception {
        Assumptions.assumeTrue(ManPageTest.onPath("lintian"), "lintian is not installed (apt-get install lintian)");
        Packaging.Result r = Packaging.run(List.of("lintian", "--pedantic", "--display-experimental", deb.toString()),
                Map.of(), List.of(), null, 240);
        List<String> errors = r.out().lines().filter(l -> l.startsWith("E:")).collect(Collectors.toList());
        assertTrue(errors.isEmpty(), "lintian errors:\n" + r.out() + r.err());
        assertTrue(r.exit() == 0 || r.exit() == 2, "lintian failed to run (" + r.exit() + "): " + r.err());
        r.out().lines().filter(l -> !l.isBlank()).forEach(l -> System.out.println("lintian: " + l));
    }
}
