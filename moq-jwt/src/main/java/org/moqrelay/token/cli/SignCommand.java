package org.moqrelay.token.cli;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.moqrelay.token.Claims;
import org.moqrelay.token.Key;
import org.moqrelay.token.TokenSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code moq-token sign}: prints a token for the given grants. */
@Command(name = "sign", description = "Sign a token, writing it to stdout.", mixinStandardHelpOptions = true, sortOptions = false)
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    TokenCommand parent;

    @Option(names = "--key", required = true, paramLabel = "<KEY>", description = "Path to the signing key file. Use `-` for stdin.")
    Path key;

    @Option(names = "--root", defaultValue = "", paramLabel = "<ROOT>", description = "The root path for the token.")
    String root;

    @Option(names = "--publish", paramLabel = "<PUBLISH>", description = "Paths the user can publish to (repeatable).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--subscribe", paramLabel = "<SUBSCRIBE>", description = "Paths the user can subscribe to (repeatable).")
    List<String> subscribe = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "<EXPIRES>", converter = UnixTimestamp.class,
            description = "Expiration time as a unix timestamp.")
    Instant expires;

    @Option(names = "--issued", paramLabel = "<ISSUED>", converter = UnixTimestamp.class,
            description = "Issued-at time as a unix timestamp.")
    Instant issued;

    @Override
    public Integer call() {
        Key signing = KeyIo.readKey(key, parent.stdin());
        Claims claims = Claims.of(root, publish, subscribe).withExp(expires).withIat(issued);
        var out = spec.commandLine().getOut();
        out.println(TokenSigner.sign(signing, claims));
        out.flush();
        return 0;
    }

    /** Whole seconds since the epoch, not negative. */
    static final class UnixTimestamp implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            long seconds;
            try {
                seconds = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected unix timestamp");
            }
            if (seconds < 0) throw new CommandLine.TypeConversionException("timestamp out of range");
            try {
                return Instant.ofEpochSecond(seconds);
            } catch (DateTimeException e) {
                throw new CommandLine.TypeConversionException("timestamp out of range");
            }
        }
    }
}
