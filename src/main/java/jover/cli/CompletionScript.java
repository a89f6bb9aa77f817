package jover.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Build-time generator of the bash completion script ({@code mvn package} runs it into
 * {@code target/completion/jover}): picocli's {@link AutoComplete} over the same commands and
 * options the parser uses. Not part of the {@code jover} command line.
 *
 * <p>The parser keeps paths as strings (they are validated later), which picocli would complete
 * with nothing; the copy of the command tree given to the generator types every option whose
 * parameter names a directory, and every positional argument, as a file, so that bash completes
 * paths there, and {@code jover help} completes the command names it takes. Names, arities and
 * subcommands are taken unchanged from the real commands.
 */
public final class CompletionScript {
    private CompletionScript() {
    }

    /** {@code CompletionScript OUTPUT_FILE}: writes the bash completion script for {@code jover}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScript OUTPUT_FILE");
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, bash(), StandardCharsets.UTF_8);
    }

    /** The completion script text, without picocli's {@code #!} line: bash sources it, never runs it. */
    public static String bash() {
        String script = AutoComplete.bash("jover", commandTree());
        return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
    }

    /** {@code jover} with its commands as {@code jover --help} lists them, as the script completes them. */
    public static CommandLine commandTree() {
        CommandLine top = new CommandLine(pathTyped(new CommandLine(new Main()).getCommandSpec()));
        top.addSubcommand("mount", new CommandLine(pathTyped(new CommandLine(new MountCommand()).getCommandSpec())));
        top.addSubcommand("umount",
                new CommandLine(pathTyped(new CommandLine(new UmountCommand()).getCommandSpec())));
        CommandSpec help = new CommandLine(new Main.HelpTopic()).getCommandSpec();
        help.addPositional(PositionalParamSpec.builder().paramLabel("COMMAND").arity("0..1")
                .completionCandidates(List.of("mount", "umount")).build());
        top.addSubcommand("help", new CommandLine(help));
        return top;
    }

    /** A copy of {@code spec} whose directory parameters and positional arguments are files. */
    private static CommandSpec pathTyped(CommandSpec spec) {
        CommandSpec copy = CommandSpec.create();
        copy.name(spec.name());
        copy.mixinStandardHelpOptions(spec.mixinStandardHelpOptions());
        for (OptionSpec o : spec.options()) {
            if (copy.findOption(o.longestName()) != null) {
                continue; // the standard help options, added above
            }
            boolean dir = o.paramLabel().startsWith("DIR");
            copy.addOption(OptionSpec.builder(o.names())
                    .arity(o.arity()).paramLabel(o.paramLabel()).description(o.description())
                    .hidden(o.hidden()).usageHelp(o.usageHelp()).versionHelp(o.versionHelp())
                    .type(dir && !o.typeInfo().isMultiValue() ? File.class : o.type())
                    .auxiliaryTypes(dir ? new Class<?>[] {File.class} : o.auxiliaryTypes())
                    .build());
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            copy.addPositional(PositionalParamSpec.builder()
                    .index(p.index()).arity(p.arity()).paramLabel(p.paramLabel()).description(p.description())
                    .type(p.typeInfo().isMultiValue() ? p.type() : File.class).auxiliaryTypes(File.class)
                    .build());
        }
        return copy;
    }

}
