package org.moqrelay.token.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.moqrelay.token.Claims;
import org.moqrelay.token.Key;
import org.moqrelay.token.TokenVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code moq-token verify}: checks a token and prints its claims. */
@Command(name = "verify", description = "Verify a token, writing the payload to stdout.", mixinStandardHelpOptions = true, sortOptions = false)
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    TokenCommand parent;

    @Option(names = "--key", required = true, paramLabel = "<KEY>",
            description = "Path to the key file. Use `-` for stdin (requires `--in` to be a file).")
    Path key;

    @Option(names = "--in", defaultValue = "-", paramLabel = "<TOKEN>", description = "Path to read the token from. Use `-` for stdin.")
    Path token;

    @Override
    public Integer call() {
        if (KeyIo.isDash(key) && KeyIo.isDash(token)) throw new CliFailure("--key and --in cannot both read from stdin");
        Key verifying = KeyIo.readKey(key, parent.stdin());
        String jwt = KeyIo.readToken(token, parent.stdin());
        Claims claims = TokenVerifier.standard().verify(verifying, jwt);
        var out = spec.commandLine().getOut();
        out.println(ClaimsDebug.format(claims));
        out.flush();
        return 0;
    }
}
