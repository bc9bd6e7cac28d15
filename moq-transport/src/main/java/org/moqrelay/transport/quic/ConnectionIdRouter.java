package org.moqrelay.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import java.util.function.BiFunction;

/**
 * Shared by every UDP socket of one {@code SO_REUSEPORT} group: each socket's codec issues
 * connection ids that carry the socket's index, and a short-header packet that the kernel hands
 * to another socket (the client's address changed, so its 4-tuple hashes elsewhere) is passed to
 * the codec that owns the connection, on that codec's event loop.
 */
final class ConnectionIdRouter extends QuicCodecDispatcher {
    private final BiFunction<Integer, QuicConnectionIdGenerator, ChannelHandler[]> codecs;

    /** @param codecs makes one socket's QUIC codec from the connection-id length and generator to use */
    ConnectionIdRouter(BiFunction<Integer, QuicConnectionIdGenerator, ChannelHandler[]> codecs) {
        this.codecs = codecs;
    }

    @Override
    protected void initChannel(Channel channel, int localConnectionIdLength, QuicConnectionIdGenerator idGenerator) {
        channel.pipeline().addLast(codecs.apply(localConnectionIdLength, idGenerator));
    }
}
