package org.moqrelay.client.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's own {@code moq_relay_forward_delay_seconds} histogram (arrival in the relay to
 * hand-off to a subscriber's stream), read from its {@code /metrics} at the window's edges, so a
 * load run can report the relay's share of the latency next to the end-to-end figure.
 *
 * @param buckets cumulative counts by upper bound in seconds, summed over tiers
 */
record RelayForwardDelay(TreeMap<Double, Double> buckets, double count, double sumSeconds) {
    private static final String NAME = "moq_relay_forward_delay_seconds";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Scrapes {@code metricsUrl}; null when it is unset, unreachable or lacks the histogram. */
    static RelayForwardDelay scrape(URI metricsUrl) {
        if (metricsUrl == null) return null;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static RelayForwardDelay parse(String text) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        boolean seen = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith(NAME)) continue;
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith(NAME + "_bucket{")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), v, Double::sum);
                seen = true;
            } else if (line.startsWith(NAME + "_count{")) {
                count += v;
            } else if (line.startsWith(NAME + "_sum{")) {
                sum += v;
            }
        }
        return seen ? new RelayForwardDelay(buckets, count, sum) : null;
    }

    /** What was recorded between {@code before} and this scrape. */
    RelayForwardDelay since(RelayForwardDelay before) {
        TreeMap<Double, Double> d = new TreeMap<>();
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            d.put(e.getKey(), e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0));
        }
        return new RelayForwardDelay(d, count - before.count, sumSeconds - before.sumSeconds);
    }

    /** The upper bound (seconds) of the bucket holding quantile {@code q}: "q of frames took at most this". */
    double quantileBound(double q) {
        double want = q * count;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            if (e.getValue() >= want) return e.getKey();
        }
        return Double.POSITIVE_INFINITY;
    }
}
