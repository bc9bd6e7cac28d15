package org.moqrelay.relay.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Reads series values out of Prometheus text, whatever the label order. */
final class Scrapes {
    private Scrapes() {}

    /**
     * The value of the series {@code name} with exactly {@code labels} (alternating keys and
     * values), or null when absent.
     */
    static Double value(String text, String name, String... labels) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String series = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            if (!series.equals(name)) continue;
            Map<String, String> got = new TreeMap<>();
            if (brace >= 0) {
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : inner.isEmpty() ? new String[0] : inner.split(",")) {
                    int eq = pair.indexOf('=');
                    got.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            }
            if (got.equals(want)) return Double.parseDouble(line.substring(space + 1));
        }
        return null;
    }

    /** Every sample line of {@code name}, for failure messages. */
    static Map<String, String> lines(String text, String name) {
        Map<String, String> out = new HashMap<>();
        Arrays.stream(text.split("\n")).filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .forEach(l -> out.put(l.substring(0, l.lastIndexOf(' ')), l.substring(l.lastIndexOf(' ') + 1)));
        return out;
    }
}
