package org.moqrelay.token.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.token.Algorithm;
import org.moqrelay.token.Claims;
import org.moqrelay.token.Key;
import org.moqrelay.token.KeyOperation;
import org.moqrelay.token.Scope;
import org.moqrelay.token.TokenSigner;
import org.moqrelay.token.TokenVerifier;
import picocli.CommandLine;

/** The {@code moq-token} command run in-process, flag for flag as {@code rs/moq-token-cli/src/lib.rs}. */
class TokenCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run withStdin(String stdin, String... args) {
        CommandLine cmd = TokenCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return withStdin("", args);
    }

    @Test
    void generateSignVerifyRoundTrip() throws Exception {
        Path priv = dir.resolve("private.jwk");
        Path pub = dir.resolve("public.jwk");
        Run gen = run("generate", "--algorithm", "ES256", "--out", priv.toString(), "--public", pub.toString());
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(gen.out()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(Files.readString(pub)).doesNotContain("{");
        assertThat(Key.read(pub).isPrivate()).isFalse();

        Run sign = run("sign", "--key", priv.toString(), "--root", "demo", "--publish", "alice", "--issued", "1700000000",
                "--expires", "4102444800");
        assertThat(sign.exit()).as(sign.err()).isZero();
        String token = sign.out().strip();
        assertThat(sign.out()).isEqualTo(token + System.lineSeparator());
        Path tokenFile = dir.resolve("alice.jwt");
        Files.writeString(tokenFile, token);

        String expected = String.join("\n",
                "Claims {",
                "    root: \"demo\",",
                "    publish: [",
                "        \"alice\",",
                "    ],",
                "    subscribe: [],",
                "    expires: Some(",
                "        SystemTime {",
                "            tv_sec: 4102444800,",
                "            tv_nsec: 0,",
                "        },",
                "    ),",
                "    issued: Some(",
                "        SystemTime {",
                "            tv_sec: 1700000000,",
                "            tv_nsec: 0,",
                "        },",
                "    ),",
                "}") + System.lineSeparator();
        Run verify = run("verify", "--key", pub.toString(), "--in", tokenFile.toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).isEqualTo(expected);
        // The token from stdin, as `moq-token verify --key public.jwk < token.jwt`.
        assertThat(withStdin(token + "\n", "verify", "--key", pub.toString()).out()).isEqualTo(expected);
        // The key from stdin.
        assertThat(withStdin(Files.readString(priv), "sign", "--key", "-", "--subscribe", "").exit()).isZero();
    }

    @Test
    void generateWritesBase64urlToStdoutByDefault() {
        Run gen = run("generate", "--id", "my-key");
        assertThat(gen.exit()).isZero();
        Key key = Key.parse(gen.out());
        assertThat(key.algorithm()).isEqualTo(Algorithm.HS256);
        assertThat(key.kid()).contains("my-key");
        assertThat(key.operations()).containsExactly(KeyOperation.SIGN, KeyOperation.VERIFY);
        assertThat(gen.out()).doesNotContain("{").endsWith(System.lineSeparator());

        Key random = Key.parse(run("generate", "--algorithm", "EdDSA").out());
        assertThat(random.kid()).hasValueSatisfying(kid -> assertThat(kid).matches("[0-9a-f]{16}"));
    }

    @Test
    void generateIntoDirectoriesNamesFilesAfterTheKid() throws Exception {
        Path privDir = Files.createDirectory(dir.resolve("private"));
        Path pubDir = Files.createDirectory(dir.resolve("public"));
        Run gen = run("generate", "--algorithm", "RS256", "--out-dir", privDir.toString(), "--public-dir", pubDir.toString());
        assertThat(gen.exit()).as(gen.err()).isZero();
        List<Path> written;
        try (Stream<Path> s = Files.list(privDir)) {
            written = s.toList();
        }
        assertThat(written).hasSize(1);
        Key key = Key.read(written.get(0));
        String kid = key.kid().orElseThrow();
        assertThat(written.get(0).getFileName().toString()).isEqualTo(kid + ".jwk");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0)))).isEqualTo("rw-------");
        Key pub = Key.read(pubDir.resolve(kid + ".jwk"));
        assertThat(TokenVerifier.standard().verify(pub, TokenSigner.sign(key, Claims.of("", List.of("x"), List.of()))).put()).containsExactly("x");
    }

    @Test
    void thePublicHalfMayGoToStdout() throws Exception {
        Path priv = dir.resolve("k.jwk");
        Run gen = run("generate", "--algorithm", "ES384", "--out", priv.toString(), "--public", "-");
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(Key.parse(gen.out()).isPrivate()).isFalse();
        assertThat(Key.read(priv).isPrivate()).isTrue();
    }

    @Test
    void scopeFlagsScopeTheKey() throws Exception {
        Path priv = dir.resolve("scoped.jwk");
        assertThat(run("generate", "--out", priv.toString(), "--root", "project", "--publish", "live", "--subscribe", "watch").exit()).isZero();
        assertThat(Key.read(priv).scope()).contains(new Scope("project", List.of("live"), List.of("watch")));
        assertThat(run("sign", "--key", priv.toString(), "--root", "project", "--publish", "live/room").exit()).isZero();
        Run denied = run("sign", "--key", priv.toString(), "--root", "project", "--publish", "other");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).isEqualTo("Error: token capabilities exceed the key scope" + System.lineSeparator());
        // --root alone does not scope a key.
        Path plain = dir.resolve("plain.jwk");
        assertThat(run("generate", "--out", plain.toString(), "--root", "project").exit()).isZero();
        assertThat(Key.read(plain).scope()).isEmpty();
    }

    @Test
    void refusalsExitWithAnError() throws Exception {
        Run both = run("generate", "--algorithm", "ES256", "--public", "-");
        assertThat(both.exit()).isEqualTo(1);
        assertThat(both.err()).startsWith("Error: cannot write both keys to stdout");

        Run stdin = run("verify", "--key", "-", "--in", "-");
        assertThat(stdin.exit()).isEqualTo(1);
        assertThat(stdin.err()).contains("--key and --in cannot both read from stdin");

        Run hmacPublic = run("generate", "--public", dir.resolve("p.jwk").toString(), "--out", dir.resolve("k.jwk").toString());
        assertThat(hmacPublic.err()).startsWith("Error: OCT key cannot be converted to public key");
        assertThat(dir.resolve("k.jwk")).doesNotExist();

        Run badId = run("generate", "--id", "../x");
        assertThat(badId.exit()).isEqualTo(1);
        assertThat(badId.err()).contains("key ID contains invalid characters");

        Run missing = run("sign", "--key", dir.resolve("nope.jwk").toString(), "--publish", "a");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error: failed to read key from ").contains("Caused by:", "No such file or directory");

        Path key = dir.resolve("key.jwk");
        run("generate", "--out", key.toString());
        Run useless = run("sign", "--key", key.toString(), "--root", "demo");
        assertThat(useless.err()).isEqualTo("Error: no publish or subscribe allowed; token is useless" + System.lineSeparator());

        Run tampered = withStdin("x.y.z", "verify", "--key", key.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).startsWith("Error: token ");
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(run("generate", "--algorithm", "ES512").exit()).isEqualTo(2);
        assertThat(run("generate", "--out", "a", "--out-dir", "b").err()).contains("cannot be used with");
        assertThat(run("generate", "--public", "a", "--public-dir", "b").exit()).isEqualTo(2);
        assertThat(run("sign", "--publish", "a").exit()).isEqualTo(2);
        Run negative = run("sign", "--key", "k", "--expires", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("timestamp out of range");
        assertThat(run("sign", "--key", "k", "--issued", "soon").err()).contains("expected unix timestamp");
        assertThat(run("sign", "--key", "k", "--expires", String.valueOf(Long.MAX_VALUE)).err()).contains("timestamp out of range");
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("--version").out()).startsWith("moq-token ");
        assertThat(run("--help").out()).contains("generate", "sign", "verify");
    }

    @Test
    void rustDebugQuotingIsKept() {
        assertThat(ClaimsDebug.quote("a\"b\\c\nd\te\u0001f\u0000é")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u{1}f\\0é\"");
    }
}
