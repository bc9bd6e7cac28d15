package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import org.moqrelay.model.Group;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.VarInts;

/** Routes a lite-05 datagram (a one-frame group) into its subscription's track. */
final class DatagramRouter {
    private DatagramRouter() {}

    static void route(LiteSession session, ByteBuf data) {
        if (!session.version().hasDatagrams()) return;
        try {
            long subscribeId = VarInts.read(data);
            long sequence = VarInts.read(data);
            long timestamp = VarInts.read(data);
            UpstreamSubscription sub = session.upstream(subscribeId);
            if (sub == null) return; // unknown id: dropped silently, as the reference does
            Group g = sub.track().createGroup(sequence);
            if (g == null) return;
            int size = data.readableBytes();
            g.append(timestamp, data.readRetainedSlice(size));
            g.finish();
            session.metrics().datagramReceived(size);
        } catch (DecodeException e) {
            // A malformed datagram is unreliable data: drop it.
        }
    }
}
