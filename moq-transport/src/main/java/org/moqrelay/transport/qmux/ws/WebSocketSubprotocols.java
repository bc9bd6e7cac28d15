package org.moqrelay.transport.qmux.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.moqrelay.transport.qmux.wire.QmuxVersion;

/**
 * Picks the WebSocket subprotocol the relay's way (spec/transports.md §3.2): the first entry of
 * OUR list that the client offered. Entries are {@code qmux-0X.<alpn>} (framing + MoQ version),
 * then bare framings, which leave the MoQ version to the SETUP exchange.
 */
public final class WebSocketSubprotocols {
    /** A chosen subprotocol: the framing, and the MoQ ALPN ("" = negotiate with SETUP). */
    public record Choice(String subprotocol, QmuxVersion framing, String alpn) {}

    private final List<String> preference;

    /** @param alpns the MoQ ALPNs this relay serves, most preferred first */
    public WebSocketSubprotocols(List<String> alpns) {
        List<String> p = new ArrayList<>();
        for (String alpn : alpns) {
            p.add("qmux-01." + alpn);
            p.add("qmux-00." + alpn);
        }
        for (String alpn : alpns) {
            p.add("qmux-02." + alpn);
        }
        p.add("qmux-02");
        p.add("qmux-01");
        p.add("qmux-00");
        p.add("webtransport");
        this.preference = List.copyOf(p);
    }

    /** Our list, most preferred first. */
    public List<String> preference() {
        return preference;
    }

    /** The choice for the client's offer, or empty when it offered only things we don't speak. */
    public Optional<Choice> select(List<String> offered) {
        for (String candidate : preference) {
            if (offered.contains(candidate)) return Optional.of(parse(candidate));
        }
        return Optional.empty();
    }

    /** Splits {@code qmux-01.moq-lite-05} into framing and ALPN. */
    public static Choice parse(String subprotocol) {
        int dot = subprotocol.indexOf('.');
        String framing = dot < 0 ? subprotocol : subprotocol.substring(0, dot);
        String alpn = dot < 0 ? "" : subprotocol.substring(dot + 1);
        QmuxVersion v = switch (framing) {
            case "qmux-00" -> QmuxVersion.QMUX_00;
            case "qmux-01" -> QmuxVersion.QMUX_01;
            case "qmux-02" -> QmuxVersion.QMUX_02;
            case "webtransport" -> QmuxVersion.WEBTRANSPORT;
            default -> throw new IllegalArgumentException("unknown framing " + framing);
        };
        return new Choice(subprotocol, v, alpn);
    }
}
