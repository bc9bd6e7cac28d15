package org.moqrelay.transport.qmux.unix;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import org.moqrelay.transport.quic.EventLoops;

/** Unix domain sockets come from Netty's native epoll transport only (Linux). */
final class DomainSockets {
    private DomainSockets() {}

    static void requireEpoll(EventLoopGroup group) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Unix sockets need Netty's native epoll transport, which did not load: "
                    + Epoll.unavailabilityCause());
        }
        if (!EventLoops.isEpoll(group)) {
            throw new IllegalStateException("Unix sockets need an epoll event loop group");
        }
    }
}
