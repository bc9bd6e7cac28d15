package org.moqrelay.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's match_domain cases (rs/moq-relay/src/auth.rs tests). */
class AuthDomainsTest {
    private static final AuthDomains CDN = AuthDomains.of(List.of("cdn.moq.dev"));

    @Test
    void theSubdomainLabelsGoInFrontOfThePathBroadestFirst() {
        assertThat(CDN.route("customer.cdn.moq.dev", "/foo")).isEqualTo("/customer/foo");
        assertThat(CDN.route("team.customer.cdn.moq.dev", "/foo")).isEqualTo("/customer/team/foo");
        assertThat(CDN.route("customer.cdn.moq.dev", "/")).isEqualTo("/customer/");
        assertThat(CDN.route("customer.cdn.moq.dev", "")).as("a URL-less path").isEqualTo("/customer/");
        assertThat(CDN.route("CUSTOMER.CDN.moq.dev", "/Foo")).as("hosts in any case; paths as written").isEqualTo("/customer/Foo");
    }

    @Test
    void theSuffixItselfAndOtherHostsKeepTheirPath() {
        assertThat(CDN.route("cdn.moq.dev", "/foo")).isEqualTo("/foo");
        assertThat(CDN.route("something.else.com", "/foo")).isEqualTo("/foo");
        assertThat(CDN.route("customercdn.moq.dev", "/foo")).as("labels, not characters").isEqualTo("/foo");
        assertThat(CDN.route(null, "/foo")).as("URL-less transports").isEqualTo("/foo");
        assertThat(AuthDomains.NONE.route("customer.cdn.moq.dev", "/foo")).isEqualTo("/foo");
        assertThat(AuthDomains.of(List.of())).isSameAs(AuthDomains.NONE);
    }

    @Test
    void severalSuffixesAreTriedLongestFirstWhateverTheirOrder() {
        for (List<String> order : List.of(List.of("cdn.moq.dev", "usw.cdn.moq.dev"), List.of("usw.cdn.moq.dev", "cdn.moq.dev"))) {
            assertThat(AuthDomains.of(order).route("customer.usw.cdn.moq.dev", "/foo")).as("%s", order).isEqualTo("/customer/foo");
        }
        AuthDomains two = AuthDomains.of(List.of("cdn.moq.dev", "staging.moq.dev"));
        assertThat(two.route("customer.staging.moq.dev", "/foo")).isEqualTo("/customer/foo");
    }

    @Test
    void suffixesAreCanonicalAndNeverEmpty() {
        assertThat(AuthDomains.of(List.of(".CDN.moq.dev")).route("a.cdn.moq.dev", "/x")).isEqualTo("/a/x");
        assertThat(AuthDomains.of(List.of("cdn.moq.dev"))).isNotSameAs(AuthDomains.NONE);
        assertThatThrownBy(() -> AuthDomains.of(List.of(""))).hasMessageContaining("auth-domain suffix must not be empty");
        assertThatThrownBy(() -> AuthDomains.of(List.of("..."))).hasMessageContaining("must not be empty");
    }
}
