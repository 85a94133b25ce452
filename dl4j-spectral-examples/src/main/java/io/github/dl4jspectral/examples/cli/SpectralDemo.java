package io.github.dl4jspectral.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;

/**
 * The demo command line: {@code compare}, {@code train}, {@code prune} and {@code export} on Fashion-MNIST
 * (the bundled 10,000 + 2,000 image subset by default, the full dataset with {@code --full}).
 *
 * <p>Run: {@code mvn -q -pl dl4j-spectral-examples -am compile exec:java -Dexec.args="compare --epochs 3"}.
 * Bad arguments and failures print one line and exit with status 2 and 1.
 */
@Command(name = "spectral-demo", mixinStandardHelpOptions = true, version = "dl4j-spectral demo 0.1.0",
        description = "Spectral layers for DL4J on Fashion-MNIST: train, compare, prune and export networks.",
        subcommands = {CompareCommand.class, TrainCommand.class, PruneCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class SpectralDemo implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A configured command line (for tests and embedding): one-line errors, exit codes 0 / 1 / 2. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SpectralDemo());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            err.println(helpHint(e.getCommandLine()));
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("error: " + describe(e));
            if (e instanceof BadArgumentException) {
                command.getErr().println(helpHint(command));
                return 2;
            }
            return 1;
        });
        return commandLine;
    }

    /** "(see: spectral-demo compare --help)", the command's full name once. */
    private static String helpHint(CommandLine command) {
        return "(see: " + command.getCommandSpec().qualifiedName() + " --help)";
    }

    /** One line for a failure: file errors say which file and what went wrong, not just the path. */
    private static String describe(Exception e) {
        if (e instanceof FileSystemException f) {
            String what = f.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
            return what.toLowerCase(java.util.Locale.ROOT) + ": " + f.getFile()
                    + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
