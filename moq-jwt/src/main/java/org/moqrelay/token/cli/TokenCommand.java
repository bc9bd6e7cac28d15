package org.moqrelay.token.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code moq-token}: generate keys, sign and verify tokens for the relay, with the reference CLI's
 * subcommands, flags and output (moq {@code rs/moq-token-cli/src/lib.rs}). Exit codes: 0 success,
 * 1 failure ({@code Error: ...} on stderr), 2 bad usage.
 *
 * <p>Run {@link #main}, or embed {@link #commandLine(InputStream)} (e.g. as {@code moq token}).
 */
@Command(name = "moq-token", sortOptions = false,
        description = "Generate, sign, and verify tokens for moq-relay",
        mixinStandardHelpOptions = true,
        versionProvider = TokenCommand.Version.class,
        subcommands = {GenerateCommand.class, SignCommand.class, VerifyCommand.class})
public final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    /** A command reading {@code -} from {@link System#in}. */
    public TokenCommand() {
        this(System.in);
    }

    /** A command reading {@code -} from {@code stdin}. */
    public TokenCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }

    /** The configured picocli command line: error handling, exit codes, standard streams. */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine cmd = new CommandLine(new TokenCommand(stdin));
        cmd.setExecutionExceptionHandler(TokenCommand::reportError);
        return cmd;
    }

    InputStream stdin() {
        return stdin;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: generate, sign or verify");
    }

    /** Prints {@code Error: <message>} and the cause chain like the reference (anyhow), exit code 1. */
    private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("Error: " + message(e));
        Throwable cause = e.getCause();
        if (cause != null) {
            err.println();
            err.println("Caused by:");
            while (cause != null) {
                err.println("    " + message(cause));
                cause = cause.getCause();
            }
        }
        err.flush();
        return 1;
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** {@code moq-token <version>}, from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TokenCommand.class.getPackage().getImplementationVersion();
            return new String[] {"moq-token " + (v != null ? v : "dev")};
        }
    }
}
