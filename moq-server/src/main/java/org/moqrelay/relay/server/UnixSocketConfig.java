package org.moqrelay.relay.server;

import java.nio.file.Path;
import java.util.Objects;
import org.moqrelay.transport.qmux.unix.PeerAllowlist;

/**
 * The qmux listener on a Unix domain socket ({@code [server.unix]}), for local workers.
 *
 * @param bind  the socket file
 * @param allow which peers may connect, by their kernel credentials ({@code [server.unix.allow]})
 */
public record UnixSocketConfig(Path bind, PeerAllowlist allow) {
    public UnixSocketConfig {
        Objects.requireNonNull(bind, "bind");
        if (allow == null) allow = PeerAllowlist.ANYONE;
    }
}
