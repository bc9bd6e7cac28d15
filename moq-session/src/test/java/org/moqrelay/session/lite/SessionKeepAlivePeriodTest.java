package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The keep-alive period a lite-05 session picks from its configuration and the peer's idle timeout. */
class SessionKeepAlivePeriodTest {
    @Test
    void aPeerThatAnnouncedNoIdleTimeoutLeavesTheConfiguredPeriod() {
        assertThat(LiteSession.keepAlivePeriod(10_000, 0)).isEqualTo(10_000);
    }

    @Test
    void aLongerPeerIdleTimeoutLeavesTheConfiguredPeriod() {
        assertThat(LiteSession.keepAlivePeriod(10_000, 60_000)).isEqualTo(10_000);
    }

    @Test
    void aShorterPeerIdleTimeoutGivesAThirdOfIt() {
        assertThat(LiteSession.keepAlivePeriod(10_000, 1_500)).isEqualTo(500);
    }

    @Test
    void theShortestPeriodIsOneMillisecond() {
        assertThat(LiteSession.keepAlivePeriod(10_000, 2)).isEqualTo(1);
    }
}
