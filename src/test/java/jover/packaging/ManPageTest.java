package jover.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jover.cli.CompletionScript;
import jover.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * man/jover.1 is kept in step with the command line: every option of every command (from picocli's
 * command specs) and every {@code -o} key the parser knows (from MountOptions) is documented, and
 * every option and key the page documents exists. The page's convention, written at its top: in
 * OPTIONS and MOUNT OPTIONS, the tag line of each {@code .TP} entry names the options or keys in bold.
 */
class ManPageTest {
    static final Path MAN_PAGE = Path.of("man/jover.1");
    static final Path MOUNT_OPTIONS_SOURCE = Path.of("src/main/java/jover/cli/MountOptions.java");

    private static final Pattern BOLD = Pattern.compile("\\\\fB(.*?)(?=\\\\f|$)");
    private static final Pattern KEY = Pattern.compile("[a-z_][a-z0-9_]*=?|x-");
    private static final Pattern CASE_LABEL = Pattern.compile("case \"([^\"]+)\":");
    private static final Pattern PREFIX_KEY = Pattern.compile("key\\.startsWith\\(\"([^\"]+)\"\\)");
    private static final Pattern EQUALS_KEY = Pattern.compile("key\\.equals\\(\"([^\"]+)\"\\)");

    /** The real commands, as the parser builds them: jover, jover mount, jover umount. */
    static Map<String, CommandSpec> commands() throws ClassNotFoundException {
        Map<String, CommandSpec> specs = new LinkedHashMap<>();
        specs.put("jover", new CommandLine(new Main()).getCommandSpec());
        specs.put("mount", new CommandLine(Class.forName("jover.cli.MountCommand")).getCommandSpec());
        specs.put("umount", new CommandLine(Class.forName("jover.cli.UmountCommand")).getCommandSpec());
        return specs;
    }

    static Set<String> optionNames(CommandSpec spec) {
        return spec.options().stream().flatMap(o -> List.of(o.names()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The sections of the page by name ({@code .SH NAME}), each its lines. */
    static Map<String, List<String>> sections() throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(MAN_PAGE)) {
            if (line.startsWith(".SH ")) {
                current = new ArrayList<>();
                sections.put(line.substring(4).replace("\"", "").trim(), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    /** The bold words of the tag lines (the line after each .TP) of a section, unescaped. */
    static List<String> boldTagWords(List<String> section) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i + 1 < section.size(); i++) {
            if (section.get(i).equals(".TP")) {
                Matcher m = BOLD.matcher(section.get(i + 1));
                while (m.find()) {
                    words.add(m.group(1).replace("\\-", "-").replace("\\e", "\\").trim());
                }
            }
        }
        return words;
    }

    /** The options documented in OPTIONS. */
    static Set<String> documentedOptions() throws IOException {
        List<String> section = sections().get("OPTIONS");
        assertTrue(section != null, "man page has no OPTIONS section");
        return boldTagWords(section).stream().filter(w -> w.startsWith("-"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The -o keys documented in MOUNT OPTIONS; a prefix key is written "x-". */
    static Set<String> documentedKeys() throws IOException {
        List<String> section = sections().get("MOUNT OPTIONS");
        assertTrue(section != null, "man page has no MOUNT OPTIONS section");
        return boldTagWords(section).stream().filter(w -> KEY.matcher(w).matches())
                .map(w -> w.endsWith("=") ? w.substring(0, w.length() - 1) : w)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The keys MountOptions knows, read from its source (it has no list of them): every case label
     * of its key switches, and the keys its default branch accepts by prefix or by name.
     */
    static Set<String> parserKeys() throws IOException {
        String source = Files.readString(MOUNT_OPTIONS_SOURCE);
        Set<String> keys = new TreeSet<>();
        for (Pattern p : List.of(CASE_LABEL, PREFIX_KEY, EQUALS_KEY)) {
            Matcher m = p.matcher(source);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    @Test
    void everyOptionOfEveryCommandIsDocumentedAndNoOther() throws Exception {
        Set<String> cli = new TreeSet<>();
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            Set<String> names = optionNames(c.getValue());
            assertFalse(names.isEmpty(), c.getKey() + " has no options?");
            cli.addAll(names);
        }
        assertSameNames("option", cli, documentedOptions(), "OPTIONS");
    }

    @Test
    void everyMountOptionKeyIsDocumentedAndNoOther() throws Exception {
        Set<String> parser = parserKeys();
        assertTrue(parser.containsAll(List.of("lowerdir", "upperdir", "workdir", "passthrough", "x-")),
                "reading MountOptions.java found too few keys: " + parser);
        assertSameNames("-o key", parser, documentedKeys(), "MOUNT OPTIONS");
    }

    private static void assertSameNames(String what, Set<String> known, Set<String> documented, String section) {
        Set<String> undocumented = new TreeSet<>(known);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known);
        assertTrue(undocumented.isEmpty() && unknown.isEmpty(), what + "s missing from man/jover.1's " + section + ": "
                + undocumented + "; documented there but not accepted by jover: " + unknown);
    }

    /** The documented keys, checked against the parser itself: none draws the "unknown option" warning. */
    @Test
    void theParserKnowsEveryDocumentedKey() throws Exception {
        for (String key : documentedKeys()) {
            String item = key.equals("x-") ? "x-test" : key;
            assertFalse(warnsUnknown(item), "MountOptions does not know -o " + item + ", documented in man/jover.1");
        }
        assertTrue(warnsUnknown("no_such_option"), "an unknown key draws a warning (else the check above proves nothing)");
    }

    /** Whether MountOptions.apply(item) ignores {@code item} as unknown; a refused value means it is known. */
    private static boolean warnsUnknown(String item) throws Exception {
        Class<?> c = Class.forName("jover.cli.MountOptions");
        Constructor<?> make = c.getDeclaredConstructor(int.class);
        make.setAccessible(true);
        Object options = make.newInstance(4);
        Method apply = c.getDeclaredMethod("apply", String.class);
        apply.setAccessible(true);
        Method warnings = c.getDeclaredMethod("warnings");
        warnings.setAccessible(true);
        try {
            apply.invoke(options, item);
        } catch (InvocationTargetException e) {
            return false;
        }
        String key = item.contains("=") ? item.substring(0, item.indexOf('=')) : item;
        return ((List<?>) warnings.invoke(options)).stream().anyMatch(w -> w.toString().contains("'" + key + "'")
                && w.toString().contains("unknown"));
    }

    @Test
    void theSynopsisShowsEveryCommandForm() throws Exception {
        List<String> synopsis = sections().get("SYNOPSIS");
        assertTrue(synopsis != null, "man page has no SYNOPSIS section");
        Set<String> forms = synopsis.stream().filter(l -> l.startsWith(".SY "))
                .map(l -> l.substring(4).replace("\"", "").replace("\\-", "-").trim())
                .collect(Collectors.toCollection(TreeSet::new));
        for (String command : CompletionScript.commandTree().getSubcommands().keySet()) {
            assertTrue(forms.contains("jover " + command), "SYNOPSIS lacks 'jover " + command + "': " + forms);
        }
        assertTrue(forms.contains("jover"), "SYNOPSIS lacks the command-less forms: " + forms);
        assertTrue(forms.contains("mount -t fuse.jover"), "SYNOPSIS lacks mount -t fuse.jover: " + forms);
        String text = String.join("\n", synopsis);
        assertTrue(text.contains(".I SOURCE\n.I MOUNTPOINT\n.B \\-o"), "SYNOPSIS lacks jover SOURCE MOUNTPOINT -o");
    }

    @Test
    void theRequiredSectionsAndExamplesArePresent() throws Exception {
        Map<String, List<String>> sections = sections();
        for (String name : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "MOUNT OPTIONS", "EXIT STATUS",
                "FILES", "EXAMPLES", "SEE ALSO")) {
            assertTrue(sections.containsKey(name), "man page lacks section " + name + ": " + sections.keySet());
        }
        String examples = String.join("\n", sections.get("EXAMPLES")).replace("\\-", "-");
        assertTrue(examples.contains("--storage-opt overlay.mount_program=/usr/bin/jover"), "podman example");
        assertTrue(Pattern.compile("(?m)^\\S+ /\\S+ fuse\\.jover \\S+ 0 0$").matcher(examples).find(), "fstab line");
        String exit = String.join("\n", sections.get("EXIT STATUS"));
        for (String code : List.of("0", "1", "2", "70")) {
            assertTrue(exit.contains(".B " + code + "\n"), "EXIT STATUS lacks " + code);
        }
        String description = String.join("\n", sections.get("DESCRIPTION"));
        for (String form : List.of("trusted.overlay.whiteout", "trusted.overlay.opaque=y", "user.fuseoverlayfs.opaque=y",
                ".wh..wh..opq", ".BI .wh. NAME", "0/0", "user.overlay.*")) {
            assertTrue(description.contains(form), "DESCRIPTION lacks the whiteout/opaque form " + form);
        }
    }

    /** The completion script offers the same options as the parser (it is generated from copies of its specs). */
    @Test
    void theCompletionTreeHasTheParsersOptions() throws Exception {
        CommandLine tree = CompletionScript.commandTree();
        Map<String, CommandSpec> real = commands();
        assertEquals(optionNames(real.get("jover")), optionNames(tree.getCommandSpec()));
        assertEquals(optionNames(real.get("mount")), optionNames(tree.getSubcommands().get("mount").getCommandSpec()));
        assertEquals(optionNames(real.get("umount")), optionNames(tree.getSubcommands().get("umount").getCommandSpec()));
        for (OptionSpec o : tree.getSubcommands().get("mount").getCommandSpec().options()) {
            if (o.paramLabel().startsWith("DIR")) {
                assertEquals(java.io.File.class, o.typeInfo().isMultiValue() ? o.auxiliaryTypes()[0] : o.type(),
                        o.longestName() + " completes paths");
            }
        }
        String script = CompletionScript.bash();
        assertFalse(script.startsWith("#!"), "a sourced completion script has no #! line");
        assertTrue(script.contains("complete -F _complete_jover"), "script registers the jover completion");
    }

    /** groff finds nothing to warn about at the widths man(1) commonly uses (as lintian checks it). */
    @Test
    void theManPageRendersWithoutWarnings() throws Exception {
        Assumptions.assumeTrue(onPath("man") && onPath("groff"), "man and groff are not installed");
        for (String width : List.of("60", "80", "120")) {
            ProcessBuilder pb = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                    MAN_PAGE.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().put("MANWIDTH", width);
            pb.environment().put("MANROFFSEQ", "");
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), err);
            assertEquals("", err, "groff warnings at width " + width);
        }
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
