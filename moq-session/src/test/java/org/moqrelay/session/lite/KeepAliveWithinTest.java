package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link SessionConfig#keepAliveWithin}: the relay's period from its own idle timeout (default
 * 10 s), and a session's from the peer's announced one.
 */
class KeepAliveWithinTest {
    private static final long DEFAULT = SessionConfig.DEFAULT_KEEP_ALIVE_MILLIS;

    @Test
    void theDefaultIdleTimeoutGivesTenSeconds() {
        assertThat(SessionConfig.keepAliveWithin(DEFAULT, 30_000)).isEqualTo(10_000);
    }

    @Test
    void aShorterIdleTimeoutGivesAThirdOfIt() {
        assertThat(SessionConfig.keepAliveWithin(DEFAULT, 6_000)).isEqualTo(2_000);
        assertThat(SessionConfig.keepAliveWithin(10_000, 1_500)).isEqualTo(500);
    }

    @Test
    void aLongerIdleTimeoutLeavesThePeriod() {
        assertThat(SessionConfig.keepAliveWithin(DEFAULT, 300_000)).isEqualTo(10_000);
        assertThat(SessionConfig.keepAliveWithin(10_000, 60_000)).isEqualTo(10_000);
    }

    @Test
    void noKnownIdleTimeoutLeavesThePeriod() {
        assertThat(SessionConfig.keepAliveWithin(10_000, 0)).isEqualTo(10_000);
    }

    @Test
    void theShortestPeriodIsOneMillisecond() {
        assertThat(SessionConfig.keepAliveWithin(DEFAULT, 2)).isEqualTo(1);
    }
}
