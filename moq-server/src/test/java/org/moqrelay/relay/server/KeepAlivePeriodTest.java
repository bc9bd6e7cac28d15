package org.moqrelay.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Quiet lite-05 sessions send their keep-alive well within the QUIC idle timeout, whatever it is. */
class KeepAlivePeriodTest {
    @Test
    void theDefaultIdleTimeoutGivesTenSeconds() {
        assertThat(RelayServer.keepAliveMillis(Duration.ofSeconds(30))).isEqualTo(10_000);
    }

    @Test
    void aShorterIdleTimeoutGivesAThirdOfIt() {
        assertThat(RelayServer.keepAliveMillis(Duration.ofSeconds(6))).isEqualTo(2_000);
        assertThat(RelayServer.keepAliveMillis(Duration.ofMillis(2))).isEqualTo(1);
    }

    @Test
    void aLongerIdleTimeoutStillGivesTenSeconds() {
        assertThat(RelayServer.keepAliveMillis(Duration.ofMinutes(5))).isEqualTo(10_000);
    }
}
