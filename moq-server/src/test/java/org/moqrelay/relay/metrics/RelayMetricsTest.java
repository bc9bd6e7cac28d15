package org.moqrelay.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.lite.SessionMetrics;

class RelayMetricsTest {
    private static final String DEFAULT = RelayMetrics.DEFAULT_TIER;
    private static final List<String> TRAFFIC = List.of("moq_relay_bytes_total", "moq_relay_frames_total",
            "moq_relay_groups_total", "moq_relay_datagrams_total", "moq_relay_fetches_total",
            "moq_relay_subscriptions_opened_total", "moq_relay_subscriptions_closed_total",
            "moq_relay_viewers_opened_total", "moq_relay_viewers_closed_total");

    private final RelayMetrics metrics = new RelayMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private double traffic(String name, String tier, String role) {
        Double v = Scrapes.value(metrics.scrape(), name, "tier", tier, "role", role);
        assertThat(v).as("%s{tier=%s,role=%s} in %s", name, tier, role, Scrapes.lines(metrics.scrape(), name)).isNotNull();
        return v;
    }

    private double sessions(String name, String tier) {
        Double v = Scrapes.value(metrics.scrape(), name, "tier", tier);
        assertThat(v).as("%s{tier=%s}", name, tier).isNotNull();
        return v;
    }

    @Test
    void everyCounterOfTheDefaultTierIsThereAtZeroFromTheStart() {
        String text = metrics.scrape();
        for (String name : TRAFFIC) {
            assertThat(text).contains("# TYPE " + name + " counter");
            for (String role : List.of("publisher", "subscriber")) {
                assertThat(Scrapes.value(text, name, "tier", DEFAULT, "role", role)).as(name + " " + role).isZero();
            }
        }
        assertThat(Scrapes.value(text, "moq_relay_sessions_opened_total", "tier", DEFAULT)).isZero();
        assertThat(Scrapes.value(text, "moq_relay_sessions_closed_total", "tier", DEFAULT)).isZero();
    }

    @Test
    void forwardDelaysBetweenFiveAndTenMillisecondsLandInTheirOwnBucket() {
        SessionMetrics m = metrics.forTier(RelayMetrics.DEFAULT_TIER);
        m.frameForwarded(6_000_000);
        m.frameForwarded(9_000_000);
        String text = metrics.scrape();
        assertThat(text).contains("moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"0.005\"} 0");
        assertThat(text).contains("moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"0.0075\"} 1");
        assertThat(text).contains("moq_relay_forward_delay_seconds_bucket{tier=\"\",le=\"0.01\"} 2");
    }

    @Test
    void whatArrivesFromPublishersCountsAsSubscriberAndWhatGoesToSubscribersAsPublisher() {
        SessionMetrics m = metrics.forTier(RelayMetrics.DEFAULT_TIER);
        m.groupReceived();
        m.frameReceived(100);
        m.frameReceived(20);
        m.groupSent();
        m.groupSent();
        m.frameSent(7);

        assertThat(traffic("moq_relay_groups_total", DEFAULT, "subscriber")).isEqualTo(1);
        assertThat(traffic("moq_relay_frames_total", DEFAULT, "subscriber")).isEqualTo(2);
        assertThat(traffic("moq_relay_bytes_total", DEFAULT, "subscriber")).isEqualTo(120);
        assertThat(traffic("moq_relay_groups_total", DEFAULT, "publisher")).isEqualTo(2);
        assertThat(traffic("moq_relay_frames_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_bytes_total", DEFAULT, "publisher")).isEqualTo(7);
    }

    @Test
    void aDatagramIsAlsoAGroupAndAFrame() {
        SessionMetrics m = metrics.forTier(RelayMetrics.DEFAULT_TIER);
        m.datagramReceived(33);

        assertThat(traffic("moq_relay_datagrams_total", DEFAULT, "subscriber")).isEqualTo(1);
        assertThat(traffic("moq_relay_groups_total", DEFAULT, "subscriber")).isEqualTo(1);
        assertThat(traffic("moq_relay_frames_total", DEFAULT, "subscriber")).isEqualTo(1);
        assertThat(traffic("moq_relay_bytes_total", DEFAULT, "subscriber")).isEqualTo(33);
        assertThat(traffic("moq_relay_datagrams_total", DEFAULT, "publisher")).isZero();
    }

    @Test
    void subscriptionsViewersFetchesAndSessionsLandOnTheirSide() {
        SessionMetrics m = metrics.forTier(RelayMetrics.DEFAULT_TIER);
        m.upstreamSubscriptionOpened();
        m.upstreamSubscriptionOpened();
        m.upstreamSubscriptionClosed();
        m.downstreamSubscriptionOpened();
        m.downstreamSubscriptionClosed();
        m.viewerOpened();
        m.viewerClosed();
        m.fetchServed();
        m.upstreamFetchOpened();
        m.upstreamFetchOpened();
        m.sessionOpened();
        m.sessionOpened();
        m.sessionClosed();

        assertThat(traffic("moq_relay_subscriptions_opened_total", DEFAULT, "subscriber")).isEqualTo(2);
        assertThat(traffic("moq_relay_subscriptions_closed_total", DEFAULT, "subscriber")).isEqualTo(1);
        assertThat(traffic("moq_relay_subscriptions_opened_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_subscriptions_closed_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_viewers_opened_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_viewers_closed_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_viewers_opened_total", DEFAULT, "subscriber")).isZero();
        assertThat(traffic("moq_relay_fetches_total", DEFAULT, "publisher")).isEqualTo(1);
        assertThat(traffic("moq_relay_fetches_total", DEFAULT, "subscriber")).isEqualTo(2);
        assertThat(sessions("moq_relay_sessions_opened_total", DEFAULT)).isEqualTo(2);
        assertThat(sessions("moq_relay_sessions_closed_total", DEFAULT)).isEqualTo(1);
    }

    @Test
    void aNamedTierHasItsOwnRowsAndIsResolvedOnce() {
        SessionMetrics sjc = metrics.forTier("region/sjc");
        assertThat(metrics.forTier("region/sjc")).isSameAs(sjc);
        sjc.frameReceived(56);
        metrics.forTier(RelayMetrics.DEFAULT_TIER).frameSent(1234);

        assertThat(traffic("moq_relay_bytes_total", "region/sjc", "subscriber")).isEqualTo(56);
        assertThat(traffic("moq_relay_bytes_total", "region/sjc", "publisher")).isZero();
        assertThat(traffic("moq_relay_bytes_total", DEFAULT, "publisher")).isEqualTo(1234);
        assertThat(traffic("moq_relay_bytes_total", DEFAULT, "subscriber")).isZero();
    }

    @Test
    void jvmAndProcessMetricsAreExported() {
        String text = metrics.scrape();
        assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "jvm_gc_", "process_uptime_seconds",
                "process_cpu_usage", "system_cpu_count", "process_files_open_files");
    }

    @Test
    void aListenerThatWasNeverRegisteredHasNoAcceptSeries() {
        assertThat(metrics.scrape()).doesNotContain("moq_relay_accept_failures_total{");
        metrics.acceptHealth("internal");
        String text = metrics.scrape();
        for (AcceptFailure f : AcceptFailure.values()) {
            assertThat(Scrapes.value(text, "moq_relay_accept_failures_total", "listener", "internal", "class", f.label())).isZero();
        }
        assertThat(Scrapes.value(text, "moq_relay_accept_stalled_seconds", "listener", "internal")).isZero();
        assertThat(text).doesNotContain("listener=\"web\"");
    }

    @Test
    void exhaustionStallsTheListenerUntilItAcceptsAgain() throws Exception {
        AcceptHealth web = metrics.acceptHealth("web");
        assertThat(metrics.acceptHealth("web")).isSameAs(web);
        assertThat(web.failed(new IOException("accept(..) failed: Too many open files"))).isEqualTo(AcceptFailure.EXHAUSTED);
        assertThat(web.failed(new IOException("Connection reset by peer"))).isEqualTo(AcceptFailure.CONNECTION);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (web.stalledSeconds() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();

        String text = metrics.scrape();
        assertThat(Scrapes.value(text, "moq_relay_accept_failures_total", "listener", "web", "class", "exhausted")).isEqualTo(1);
        assertThat(Scrapes.value(text, "moq_relay_accept_failures_total", "listener", "web", "class", "connection")).isEqualTo(1);
        assertThat(Scrapes.value(text, "moq_relay_accept_stalled_seconds", "listener", "web")).isPositive();

        web.accepted();
        assertThat(Scrapes.value(metrics.scrape(), "moq_relay_accept_stalled_seconds", "listener", "web")).isZero();
    }

    @Test
    void acceptFailuresAreClassifiedByTheirErrno() {
        assertThat(AcceptFailure.classify(new IOException("Too many open files in system"))).isEqualTo(AcceptFailure.EXHAUSTED);
        assertThat(AcceptFailure.classify(new IOException("No buffer space available"))).isEqualTo(AcceptFailure.EXHAUSTED);
        assertThat(AcceptFailure.classify(new IOException("Cannot allocate memory"))).isEqualTo(AcceptFailure.EXHAUSTED);
        assertThat(AcceptFailure.classify(new SocketException("Software caused connection abort"))).isEqualTo(AcceptFailure.CONNECTION);
        assertThat(AcceptFailure.classify(new IOException("Network is unreachable"))).isEqualTo(AcceptFailure.CONNECTION);
        assertThat(AcceptFailure.classify(new IOException("Invalid argument"))).isEqualTo(AcceptFailure.UNKNOWN);
        assertThat(AcceptFailure.classify(new IOException())).isEqualTo(AcceptFailure.UNKNOWN);
    }
}
