package org.moqrelay.token.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.moqrelay.token.Algorithm;
import org.moqrelay.token.Key;
import org.moqrelay.token.KeyIds;
import org.moqrelay.token.Scope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moq-token generate}: a new key, written as base64url JSON. */
@Command(name = "generate",
        description = {"Generate a new signing key.", "",
                "A random key ID is assigned unless --id is specified.", "Output is base64url-encoded JSON."},
        mixinStandardHelpOptions = true, sortOptions = false)
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--algorithm", defaultValue = "HS256", paramLabel = "<ALGORITHM>",
            description = "The algorithm to use: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Algorithm algorithm;

    @Option(names = "--id", paramLabel = "<ID>", description = "The key ID. Randomly generated if not provided.")
    String id;

    @Option(names = "--out", paramLabel = "<OUT>", description = "Write the key to a file path. Use `-` for stdout.")
    Path out;

    @Option(names = "--out-dir", paramLabel = "<OUT_DIR>", description = "Write the key to a directory as {kid}.jwk.")
    Path outDir;

    @Option(names = "--public", paramLabel = "<PUBLIC>",
            description = "Write the public key to a file path (asymmetric algorithms only). Use `-` for stdout.")
    Path publicOut;

    @Option(names = "--public-dir", paramLabel = "<PUBLIC_DIR>",
            description = "Write the public key to a directory as {kid}.jwk (asymmetric algorithms only).")
    Path publicDir;

    @Option(names = "--root", defaultValue = "", paramLabel = "<ROOT>",
            description = "Root path for the optional key scope. Only applied alongside --publish or --subscribe.")
    String root;

    @Option(names = "--publish", paramLabel = "<PUBLISH>", description = "Publish prefixes the key may grant (repeatable).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--subscribe", paramLabel = "<SUBSCRIBE>", description = "Subscribe prefixes the key may grant (repeatable).")
    List<String> subscribe = new ArrayList<>();

    @Override
    public Integer call() {
        if (out != null && outDir != null) throw conflict("--out-dir <OUT_DIR>", "--out <OUT>");
        if (publicOut != null && publicDir != null) throw conflict("--public-dir <PUBLIC_DIR>", "--public <PUBLIC>");

        String kid = id != null ? KeyIds.validate(id) : KeyIds.random();
        Key key = Key.generate(algorithm, kid);
        if (!publish.isEmpty() || !subscribe.isEmpty()) key = key.withScope(new Scope(root, publish, subscribe));

        boolean publicToStdout = KeyIo.isDash(publicOut);
        boolean privateToStdout = outDir == null && (out == null || KeyIo.isDash(out));
        if (publicToStdout && privateToStdout) {
            throw new CliFailure("cannot write both keys to stdout; use --out/--public with a file path, or --out-dir/--public-dir");
        }

        var stdout = spec.commandLine().getOut();
        if (publicDir != null) {
            KeyIo.writeKey(key.toPublic(), publicDir.resolve(kid + ".jwk"), stdout);
        } else if (publicOut != null) {
            KeyIo.writeKey(key.toPublic(), publicOut, stdout);
        }

        if (outDir != null) {
            KeyIo.writeKey(key, outDir.resolve(kid + ".jwk"), stdout);
        } else if (out != null) {
            KeyIo.writeKey(key, out, stdout);
        } else {
            stdout.println(key.encode());
            stdout.flush();
        }
        return 0;
    }

    private CommandLine.ParameterException conflict(String a, String b) {
        return new CommandLine.ParameterException(spec.commandLine(), "the argument '" + a + "' cannot be used with '" + b + "'");
    }
}
