package org.moqrelay.client;

import java.util.ArrayList;
import java.util.List;
import org.moqrelay.wire.LiteVersion;

/**
 * The subprotocols the client offers in {@code wt-available-protocols}, and what the server's
 * {@code wt-protocol} answer means. Like {@code @moq/net}, it offers every moq-lite version newest
 * first ({@code moq-lite-05, moq-lite-04, moq-lite-03, moql}); unlike it, no {@code moqt-*}
 * drafts, which this client does not speak.
 */
final class WebTransportProtocols {
    private WebTransportProtocols() {}

    /** {@code newest} and each older version's subprotocol, newest first, each once (lite-02 and -01 share {@code moql}). */
    static List<String> offered(LiteVersion newest) {
        List<String> offered = new ArrayList<>();
        LiteVersion[] all = LiteVersion.values();
        for (int i = newest.ordinal(); i >= 0; i--) {
            if (!offered.contains(all[i].alpn())) offered.add(all[i].alpn());
        }
        return List.copyOf(offered);
    }

    /**
     * The version to speak after the server chose {@code protocol}: its own for {@code moq-lite-0X},
     * the legacy SETUP (which offers lite-02 and lite-01) for {@code moql} or no choice, as
     * {@code @moq/net} falls back; null for one that was not offered.
     */
    static LiteVersion chosen(String protocol, List<String> offered) {
        if (protocol.isEmpty()) return LiteVersion.LITE_02;
        if (!offered.contains(protocol)) return null;
        LiteVersion v = LiteVersion.fromAlpn(protocol);
        return v != null ? v : LiteVersion.LITE_02;
    }
}
