package org.moqrelay.client.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayForwardDelayTest {
    private static String scrape(int le1ms, int le5ms, int inf, double sum) {
        return String.join("\n",
                "# HELP moq_relay_forward_delay_seconds x",
                "moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"0.001\"} " + le1ms,
                "moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"0.005\"} " + le5ms,
                "moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"+Inf\"} " + inf,
                "moq_relay_forward_delay_seconds_count{tier=\"\"} " + inf,
                "moq_relay_forward_delay_seconds_sum{tier=\"\"} " + sum,
                "moq_relay_frames_total{tier=\"\",role=\"publisher\"} 7");
    }

    @Test
    void quantilesComeFromTheBucketDeltasOfTheWindow() {
        RelayForwardDelay before = RelayForwardDelay.parse(scrape(10, 10, 10, 0.001));
        RelayForwardDelay after = RelayForwardDelay.parse(scrape(10 + 980, 10 + 999, 10 + 1000, 0.501));
        RelayForwardDelay d = after.since(before);
        assertThat(d.count()).isEqualTo(1000);
        assertThat(d.sumSeconds()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.quantileBound(0.50)).isEqualTo(0.001);
        assertThat(d.quantileBound(0.99)).isEqualTo(0.005);
        assertThat(d.quantileBound(0.9995)).isInfinite();
    }

    @Test
    void aScrapeWithoutTheHistogramIsNull() {
        assertThat(RelayForwardDelay.parse("moq_relay_frames_total{tier=\"\",role=\"publisher\"} 7\n")).isNull();
    }
}
