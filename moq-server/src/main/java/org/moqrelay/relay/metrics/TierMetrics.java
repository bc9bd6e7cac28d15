package org.moqrelay.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.moqrelay.session.lite.SessionMetrics;

/**
 * The counters of one tier, resolved once. The {@code role} label follows the reference's
 * {@code moq_net::stats::Role}: {@code publisher} is egress (what the relay sent to subscribers),
 * {@code subscriber} is ingress (what it received from publishers).
 */
final class TierMetrics implements SessionMetrics {
    /**
     * Histogram bucket bounds of {@code moq_relay_forward_delay_seconds}: 100 us to 5 s, finer
     * between 2 and 25 ms, where a busy fan-out's tail lies (a bucket bound is all a percentile
     * read from the histogram can say).
     */
    static final Duration[] FORWARD_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(3), Duration.ofMillis(5), Duration.ofNanos(7_500_000), Duration.ofMillis(10),
        Duration.ofMillis(15), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000), Duration.ofMillis(5000)};

    static final String PUBLISHER = "publisher";
    static final String SUBSCRIBER = "subscriber";

    private static final String DATAGRAMS =
            "Single-frame groups carried over unreliable QUIC datagrams; a subset of groups.";
    private static final String FETCHES = "One-shot group fetches requested.";
    private static final String SUBS_OPENED = "Track subscriptions opened.";
    private static final String SUBS_CLOSED = "Track subscriptions closed; subtract from opened for live subscriptions.";
    private static final String VIEWERS_OPENED = "Distinct (broadcast, session) subscriptions opened.";
    private static final String VIEWERS_CLOSED =
            "Distinct (broadcast, session) subscriptions closed; subtract from opened for live viewers.";

    private final Counter bytesIn;
    private final Counter framesIn;
    private final Counter groupsIn;
    private final Counter datagramsIn;
    private final Counter subscriptionsOpenedIn;
    private final Counter subscriptionsClosedIn;
    private final Counter bytesOut;
    private final Counter framesOut;
    private final Counter groupsOut;
    private final Counter fetchesIn;
    private final Counter fetchesOut;
    private final Counter subscriptionsOpenedOut;
    private final Counter subscriptionsClosedOut;
    private final Counter viewersOpened;
    private final Counter viewersClosed;
    private final Counter sessionsOpened;
    private final Counter sessionsClosed;
    private final Timer forwardDelay;

    TierMetrics(MeterRegistry registry, String tier) {
        forwardDelay = Timer.builder("moq_relay_forward_delay")
                .description("Time from a live frame's arrival in the relay to its hand-off to a subscriber's stream"
                        + " (this relay's share of the latency; cache replays to late joiners and fetches are not"
                        + " counted; not in the reference).")
                .tag("tier", tier)
                .serviceLevelObjectives(FORWARD_BUCKETS)
                .register(registry);
        bytesIn = traffic(registry, "moq_relay_bytes_total", "Media payload bytes transferred.", tier, SUBSCRIBER);
        framesIn = traffic(registry, "moq_relay_frames_total", "Media frames transferred.", tier, SUBSCRIBER);
        groupsIn = traffic(registry, "moq_relay_groups_total", "Media groups transferred.", tier, SUBSCRIBER);
        datagramsIn = traffic(registry, "moq_relay_datagrams_total", DATAGRAMS, tier, SUBSCRIBER);
        fetchesIn = traffic(registry, "moq_relay_fetches_total", FETCHES, tier, SUBSCRIBER);
        subscriptionsOpenedIn = traffic(registry, "moq_relay_subscriptions_opened_total", SUBS_OPENED, tier, SUBSCRIBER);
        subscriptionsClosedIn = traffic(registry, "moq_relay_subscriptions_closed_total", SUBS_CLOSED, tier, SUBSCRIBER);
        traffic(registry, "moq_relay_viewers_opened_total", VIEWERS_OPENED, tier, SUBSCRIBER);
        traffic(registry, "moq_relay_viewers_closed_total", VIEWERS_CLOSED, tier, SUBSCRIBER);

        bytesOut = traffic(registry, "moq_relay_bytes_total", "Media payload bytes transferred.", tier, PUBLISHER);
        framesOut = traffic(registry, "moq_relay_frames_total", "Media frames transferred.", tier, PUBLISHER);
        groupsOut = traffic(registry, "moq_relay_groups_total", "Media groups transferred.", tier, PUBLISHER);
        traffic(registry, "moq_relay_datagrams_total", DATAGRAMS, tier, PUBLISHER);
        fetchesOut = traffic(registry, "moq_relay_fetches_total", FETCHES, tier, PUBLISHER);
        subscriptionsOpenedOut = traffic(registry, "moq_relay_subscriptions_opened_total", SUBS_OPENED, tier, PUBLISHER);
        subscriptionsClosedOut = traffic(registry, "moq_relay_subscriptions_closed_total", SUBS_CLOSED, tier, PUBLISHER);
        viewersOpened = traffic(registry, "moq_relay_viewers_opened_total", VIEWERS_OPENED, tier, PUBLISHER);
        viewersClosed = traffic(registry, "moq_relay_viewers_closed_total", VIEWERS_CLOSED, tier, PUBLISHER);

        sessionsOpened = Counter.builder("moq_relay_sessions_opened_total").description("Connected sessions opened.")
                .tag("tier", tier).register(registry);
        sessionsClosed = Counter.builder("moq_relay_sessions_closed_total")
                .description("Connected sessions closed; subtract from opened for live sessions.")
                .tag("tier", tier).register(registry);
    }

    private static Counter traffic(MeterRegistry registry, String name, String help, String tier, String role) {
        return Counter.builder(name).description(help).tag("tier", tier).tag("role", role).register(registry);
    }

    @Override
    public void groupReceived() {
        groupsIn.increment();
    }

    @Override
    public void frameReceived(int bytes) {
        framesIn.increment();
        bytesIn.increment(bytes);
    }

    @Override
    public void datagramReceived(int bytes) {
        // A datagram stands in for a one-frame group, as the reference meters it.
        datagramsIn.increment();
        groupsIn.increment();
        framesIn.increment();
        bytesIn.increment(bytes);
    }

    @Override
    public void groupSent() {
        groupsOut.increment();
    }

    @Override
    public void frameSent(int bytes) {
        framesOut.increment();
        bytesOut.increment(bytes);
    }

    @Override
    public void frameForwarded(long nanos) {
        forwardDelay.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void upstreamSubscriptionOpened() {
        subscriptionsOpenedIn.increment();
    }

    @Override
    public void upstreamSubscriptionClosed() {
        subscriptionsClosedIn.increment();
    }

    @Override
    public void downstreamSubscriptionOpened() {
        subscriptionsOpenedOut.increment();
    }

    @Override
    public void downstreamSubscriptionClosed() {
        subscriptionsClosedOut.increment();
    }

    @Override
    public void viewerOpened() {
        viewersOpened.increment();
    }

    @Override
    public void viewerClosed() {
        viewersClosed.increment();
    }

    @Override
    public void fetchServed() {
        fetchesOut.increment();
    }

    @Override
    public void upstreamFetchOpened() {
        fetchesIn.increment();
    }

    @Override
    public void sessionOpened() {
        sessionsOpened.increment();
    }

    @Override
    public void sessionClosed() {
        sessionsClosed.increment();
    }
}
