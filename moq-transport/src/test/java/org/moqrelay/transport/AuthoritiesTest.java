package org.moqrelay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthoritiesTest {
    @Test
    void theHostIsTheAuthorityWithoutUserInfoAndPortInLowerCase() {
        assertThat(Authorities.host("Team.Customer.CDN.example:4443")).isEqualTo("team.customer.cdn.example");
        assertThat(Authorities.host("cdn.example")).isEqualTo("cdn.example");
        assertThat(Authorities.host("user:pw@Cdn.Example:443")).isEqualTo("cdn.example");
        assertThat(Authorities.host("[::1]:4443")).isEqualTo("[::1]");
        assertThat(Authorities.host("127.0.0.1:80")).isEqualTo("127.0.0.1");
        assertThat(Authorities.host("cdn.example.")).as("an absolute name stays as written, as in the reference").isEqualTo("cdn.example.");
        assertThat(Authorities.host("")).isNull();
        assertThat(Authorities.host(":443")).isNull();
        assertThat(Authorities.host(null)).isNull();
    }
}
