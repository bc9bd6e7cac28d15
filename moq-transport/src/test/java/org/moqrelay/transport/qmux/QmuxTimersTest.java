package org.moqrelay.transport.qmux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QmuxTimersTest {
    @Test
    void theIdleTimeoutIsTheSmallerOfBothSidesAtLeastOneSecondAndZeroMeansNone() {
        assertThat(QmuxTimers.negotiatedIdleMillis(0, 0)).as("neither side has one").isZero();
        assertThat(QmuxTimers.negotiatedIdleMillis(0, 5_000)).as("only the peer's").isEqualTo(5_000);
        assertThat(QmuxTimers.negotiatedIdleMillis(30_000, 0)).as("only ours").isEqualTo(30_000);
        assertThat(QmuxTimers.negotiatedIdleMillis(30_000, 1_500)).as("the smaller").isEqualTo(1_500);
        assertThat(QmuxTimers.negotiatedIdleMillis(30_000, 10)).as("a floor against pinging flat out").isEqualTo(1_000);
    }
}
