package org.ptarena.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ptarena} command: races three page-table API designs after proving them
 * equivalent against an oracle. Each subcommand is its own class; {@link #commandLine()} builds
 * the whole tree with the exit statuses of {@link Exit}, for {@link #main} and for tests.
 */
@Command(name = "ptarena", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Three page-table API designs — the Linux per-level cascade (legacy), Shutemov's",
            "recursive pt_ptr (ptptr) and Wilcox's flat vpte_iter (vpte) — proven equivalent",
            "against an oracle, then raced."},
        subcommands = {GeometriesCommand.class, CheckCommand.class, RaceCommand.class,
            ReportCommand.class,
            CaptureCommand.class, ImportStraceCommand.class, SnapstatCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:a disagreement, a broken invariant or a failed expectation",
            "2:bad input: unknown option or implementation, missing file, malformed trace",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
public final class Main implements Runnable {
    @Spec CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree, with ptarena's exit statuses; callers may redirect its writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getCommandSpec().exitCodeOnInvalidInput(Exit.BAD_INPUT);
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(Exit.BAD_INPUT);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("ptarena: internal error: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return Exit.INTERNAL;
        });
        return cl;
    }

    /** Without a subcommand there is nothing to do: say what there is. */
    @Override public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The project version, from {@code version.properties} filtered at build time. */
    static final class Version implements IVersionProvider {
        @Override public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            }
            String v = p.getProperty("version", "");
            // unfiltered (an IDE's own build): picocli would read the placeholder as a variable
            boolean known = !v.isEmpty() && !v.startsWith("$");
            return new String[] {"ptarena " + (known ? v : "(development build)")};
        }
    }
}
