package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.moqrelay.token.TokenException.Reason;

/** relay.md sections 5.4 (claims x connection path) and 5.5 (public access). */
class AuthorizationTest {
    private static Claims claims(String root, List<String> get, List<String> put) {
        return Claims.of(root, put, get);
    }

    /**
     * The matrix: token root, its get and put grants ({@code |}-separated, {@code -} for none), the
     * connection path, then the expected subscribe and publish lists, or the refusal.
     */
    @ParameterizedTest(name = "root={0} get={1} put={2} path={3}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
        // path equals root
        "room/123; '';        alice;       room/123;        '';            alice",
        // path extends root: the grant under the suffix loses it, the one above becomes "", others drop
        "room/123; bob;       alice;       room/123/alice;  -;             ''",
        "room/123; bob;       alice/cam;   room/123/alice;  -;             cam",
        "demo;     '';        room|other;  demo/room/deep;  '';            ''",
        "demo;     room/a|room/b; room;    demo/room;       a|b;           ''",
        // path is a parent of root: root prepended
        "demo;     '';        alice;       /;               demo;          demo/alice",
        "a/b/c;    x;         '';          a;               b/c/x;         b/c",
        // empty root grants wherever the path lands
        ";         demo;      -;           demo/room;       '';            -",
        ";         demo|other; x;          other;           '';            -",
        // slashes are implicit
        "/room/123/; /bob/;   -;           //room/123//;    bob;           -",
        "demo;     a//b/;     -;           demo/a/b/c;      '';            -",
        // one role lost is fine
        "demo;     watch;     live;        demo/live;       -;             ''",
        "demo;     watch;     live;        demo/watch/x;    '';            -",
        // segment boundaries: live does not cover lively
        "demo;     live;      live;        demo/livestream; NO_ACCESS;     ",
        "foo;      '';        '';          foobar;          ROOT_MISMATCH; ",
        "foo/bar;  '';        '';          foo/ba;          ROOT_MISMATCH; ",
        // unrelated
        "demo;     '';        '';          other;           ROOT_MISMATCH; ",
        "demo/a;   '';        '';          demo/b;          ROOT_MISMATCH; ",
        // overlap but nothing inside the path
        ";         demo;      -;           other;           NO_ACCESS;     ",
        "demo;     a;         b;           demo/c;          NO_ACCESS;     ",
    })
    void matrix(String root, String get, String put, String path, String expectSubscribe, String expectPublish) {
        Claims c = claims(root == null ? "" : root, list(get), list(put));
        if (expectSubscribe.equals("NO_ACCESS") || expectSubscribe.equals("ROOT_MISMATCH")) {
            assertRefused(Reason.valueOf(expectSubscribe), () -> Authorization.authorize(path, c));
            return;
        }
        Permissions p = Authorization.authorize(path, c);
        assertThat(p.root()).isEqualTo(TokenPaths.normalize(path));
        assertThat(p.subscribe()).containsExactlyElementsOf(list(expectSubscribe));
        assertThat(p.publish()).containsExactlyElementsOf(list(expectPublish));
    }

    @Test
    void refusalsNameThePathButNotTheGrants() {
        assertRefused(Reason.ROOT_MISMATCH, () -> Authorization.authorize("/other/", claims("demo", List.of("secret"), List.of())))
                .hasMessage("path `other` does not overlap the token root");
        assertRefused(Reason.NO_ACCESS, () -> Authorization.authorize("other", claims("", List.of("demo"), List.of())))
                .hasMessage("token grants no access to path `other`");
    }

    @Test
    void anAliasTakesThePlaceOfTheRootWhenItIsAsDeepAsThePath() {
        Claims c = claims("demo", List.of("room/cam"), List.of("room"));
        Permissions p = Authorization.authorize("/demo/room/", "x7k2qp//room", c);
        assertThat(p.root()).isEqualTo("x7k2qp/room");
        assertThat(p.subscribe()).containsExactly("cam");
        assertThat(p.publish()).containsExactly("");
        assertThat(Authorization.authorize("", "", claims("", List.of(""), List.of())).root()).isEmpty();
        assertRefused(Reason.ROOT_MISMATCH, () -> Authorization.authorize("demo/room", "x7k2qp", c))
                .hasMessageContaining("alias `x7k2qp`");
        assertRefused(Reason.ROOT_MISMATCH, () -> Authorization.authorize("demo", "x7k2qp/room", c));
        assertRefused(Reason.ROOT_MISMATCH, () -> Authorization.authorize("other/room", "x7k2qp/room", c));
    }

    @Test
    void expiryIsCarriedOver() {
        Instant exp = Instant.ofEpochSecond(4102444800L);
        assertThat(Authorization.authorize("demo", claims("demo", List.of(""), List.of())).expires()).isNull();
        assertThat(Authorization.authorize("demo", claims("demo", List.of(""), List.of()).withExp(exp)).expires()).isEqualTo(exp);
    }

    @Test
    void publicPrefixesApplyWhenTheyOverlapThePath() {
        // Path under a public prefix.
        Permissions p = Authorization.authorizePublic("anon/room", List.of("anon"), List.of("anon"));
        assertThat(p.root()).isEqualTo("anon/room");
        assertThat(p.subscribe()).containsExactly("");
        assertThat(p.publish()).containsExactly("");
        // Path above a public prefix: the prefix is rebased below the path.
        Permissions top = Authorization.authorizePublic("/", List.of("anon", "demo/live"), List.of());
        assertThat(top.subscribe()).containsExactly("anon", "demo/live");
        assertThat(top.publish()).isEmpty();
        Permissions mid = Authorization.authorizePublic("demo", List.of("anon", "demo/live"), List.of());
        assertThat(mid.subscribe()).containsExactly("live");
        // Subscribe-only and publish-only prefixes keep their roles.
        Permissions split = Authorization.authorizePublic("x", List.of("x/watch"), List.of("x/live"));
        assertThat(split.subscribe()).containsExactly("watch");
        assertThat(split.publish()).containsExactly("live");
        // "" makes everything public.
        assertThat(Authorization.authorizePublic("any/where", List.of(""), List.of("")).publish()).containsExactly("");
        assertThat(Authorization.authorizePublic("any/where", List.of(""), List.of()).publish()).isEmpty();
    }

    @Test
    void noOverlapMeansATokenIsExpected() {
        assertThat(Authorization.publicClaims("private/room", List.of("anon"), List.of("anon"))).isEmpty();
        assertThat(Authorization.publicClaims("anonymous", List.of("anon"), List.of())).isEmpty();
        assertThat(Authorization.publicClaims("x", List.of(), List.of())).isEmpty();
        assertRefused(Reason.EXPECTED_TOKEN, () -> Authorization.authorizePublic("private", List.of("anon"), List.of()))
                .hasMessage("a token was expected");
        assertThat(Authorization.publicClaims("/anon/", List.of("/anon"), List.of()))
                .isEqualTo(Optional.of(Claims.of("", List.of(), List.of("anon"))));
    }

    @Test
    void anOverlappingPrefixOfOneRoleStillYieldsTheOtherRolesGrants() {
        // The subscribe prefix overlaps, so the claims carry both lists; the publish one is then rebased or dropped.
        Permissions p = Authorization.authorizePublic("anon", List.of("anon"), List.of("elsewhere"));
        assertThat(p.subscribe()).containsExactly("");
        assertThat(p.publish()).isEmpty();
    }

    /**
     * The defining property: a broadcast below the connection path is allowed by the permissions exactly
     * when the token's absolute grants allow it, for each role.
     */
    @Property(tries = 2000)
    void permissionsAllowExactlyWhatTheTokenAllows(@ForAll("paths") String root, @ForAll("grantLists") List<String> grants,
            @ForAll("paths") String path, @ForAll("paths") String below) {
        Claims c = Claims.of(root, grants, List.of());
        Permissions p;
        try {
            p = Authorization.authorize(path, c);
        } catch (TokenException e) {
            // Refused only when nothing below the path is granted at all.
            String broadcast = TokenPaths.join(TokenPaths.normalize(path), below);
            assertThat(allowedByToken(c, broadcast)).isFalse();
            return;
        }
        String broadcast = TokenPaths.join(p.root(), below);
        boolean byPermissions = p.publish().stream().anyMatch(g -> TokenPaths.hasPrefix(broadcast, TokenPaths.join(p.root(), g)));
        assertThat(byPermissions).isEqualTo(allowedByToken(c, broadcast));
    }

    private static boolean allowedByToken(Claims c, String broadcast) {
        String root = TokenPaths.normalize(c.root());
        return c.put().stream().anyMatch(g -> TokenPaths.hasPrefix(broadcast, TokenPaths.join(root, TokenPaths.normalize(g))));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "ab", "");
        return segment.list().ofMaxSize(4).map(s -> String.join("/", s));
    }

    @Provide
    Arbitrary<List<String>> grantLists() {
        return Combinators.combine(paths(), Arbitraries.of("", "/", "//")).as((p, slash) -> slash + p + slash).list().ofMaxSize(3);
    }

    private static List<String> list(String s) {
        if (s == null || s.equals("-")) return List.of();
        return List.of(s.split("\\|", -1));
    }
}
