package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {
    @Test
    void encodesLikeTheReference() {
        // serde: root, put, get, exp, iat; empty root/lists and absent times left out; lists always arrays.
        assertThat(Claims.of("demo", List.of("alice"), List.of("bob")).toJson())
                .isEqualTo("{\"root\":\"demo\",\"put\":[\"alice\"],\"get\":[\"bob\"]}");
        assertThat(Claims.of("", List.of("alice"), List.of()).toJson()).isEqualTo("{\"put\":[\"alice\"]}");
        assertThat(Claims.of("r", List.of(), List.of("")).withExp(Instant.ofEpochSecond(4102444800L)).withIat(Instant.ofEpochSecond(1700000000L)).toJson())
                .isEqualTo("{\"root\":\"r\",\"get\":[\"\"],\"exp\":4102444800,\"iat\":1700000000}");
        assertThat(Claims.empty().toJson()).isEqualTo("{}");
        // The 2025 cluster flag sits between put and get, only when set.
        assertThat(Claims.of("", List.of("a"), List.of("b")).withCluster(true).toJson())
                .isEqualTo("{\"put\":[\"a\"],\"cluster\":true,\"get\":[\"b\"]}");
        // serde_json escaping: quotes, backslashes and controls only.
        assertThat(Claims.of("a\"b\\c\nd\u0001é/", List.of("x"), List.of()).toJson())
                .isEqualTo("{\"root\":\"a\\\"b\\\\c\\nd\\u0001é/\",\"put\":[\"x\"]}");
    }

    @Test
    void readsAStringOrAnArray() {
        Claims c = Claims.fromJson("{\"root\":\"test\",\"put\":\"single\",\"get\":[\"multi1\",\"multi2\"]}");
        assertThat(c.put()).containsExactly("single");
        assertThat(c.get()).containsExactly("multi1", "multi2");
        assertThat(c.root()).isEqualTo("test");
        assertThat(Claims.fromJson("{\"get\":\"x\"}").root()).isEmpty();
    }

    @Test
    void roundTrips() {
        Claims c = Claims.of("a/b", List.of("", "c"), List.of("d")).withExp(Instant.ofEpochSecond(5)).withIat(Instant.ofEpochSecond(-5));
        assertThat(Claims.fromJson(c.toJson())).isEqualTo(c);
        assertThat(Claims.fromJson(c.withCluster(true).toJson(), true)).isEqualTo(c.withCluster(true));
        assertThat(Claims.fromJson(c.withCluster(true).toJson())).isEqualTo(c);
    }

    @Test
    void rejectsWhatSerdeRejects() {
        for (String json : List.of("{\"exp\":1.0,\"put\":\"a\"}", "{\"exp\":1e3}", "{\"iat\":true}", "{\"put\":null}", "{\"root\":[]}",
                "{\"exp\":99999999999999999999}", "{\"exp\":9223372036854775807}", "nope", "{\"a\":1}{}")) {
            assertRefused(TokenException.Reason.INVALID_CLAIMS, () -> Claims.fromJson(json));
        }
        assertRefused(TokenException.Reason.INVALID_CLAIMS, () -> Claims.fromJson("{\"pub\":5}", true));
        assertRefused(TokenException.Reason.INVALID_CLAIMS, () -> Claims.fromJson("{\"cluster\":\"yes\"}", true));
    }

    @Test
    void validationNeedsOneRole() {
        Claims.of("", List.of("a"), List.of()).validate();
        Claims.of("", List.of(), List.of("")).validate();
        assertRefused(TokenException.Reason.USELESS_TOKEN, () -> Claims.of("x", List.of(), List.of()).validate());
    }

    @Test
    void expiryIsStrict() {
        Instant t = Instant.ofEpochSecond(100);
        assertThat(Claims.empty().withExp(t).isExpired(t)).isFalse();
        assertThat(Claims.empty().withExp(t).isExpired(t.plusNanos(1))).isTrue();
        assertThat(Claims.empty().isExpired(Instant.MAX)).isFalse();
    }
}
