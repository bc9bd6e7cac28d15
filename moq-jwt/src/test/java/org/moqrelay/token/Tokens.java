package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;

/** Test fixtures: one generated key per algorithm (RSA key generation is slow), token surgery, assertions. */
final class Tokens {
    private static final Map<Algorithm, Key> KEYS = new EnumMap<>(Algorithm.class);

    private Tokens() {
    }

    /** A private key for {@code alg} with kid {@code test-<alg>}, generated once per JVM. */
    static synchronized Key key(Algorithm alg) {
        return KEYS.computeIfAbsent(alg, a -> Key.generate(a, "test-" + a.name()));
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String part(String token, int i) {
        return token.split("\\.", -1)[i];
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** {@code token} with part {@code i} replaced. */
    static String withPart(String token, int i, String replacement) {
        String[] parts = token.split("\\.", -1);
        parts[i] = replacement;
        return String.join(".", parts);
    }

    /** Asserts {@code call} throws a {@link TokenException} with {@code reason}. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(TokenException.Reason reason,
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(TokenException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
