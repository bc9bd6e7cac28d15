package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.wire.LiteVersion;

/** A hand-driven peer: it ignores what the relay opens and lets the test write raw streams. */
final class RawPeer implements ConnectionHandler {
    final MemoryTransport transport;
    final LiteVersion version;
    final CompletableFuture<Long> closedCode = new CompletableFuture<>();
    LiteSession relaySession;

    RawPeer(MemoryTransport transport, LiteVersion version) {
        this.transport = transport;
        this.version = version;
    }

    /** What came back on one stream the test opened. */
    static final class Reply implements ReadHandler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Long> reset = new CompletableFuture<>();
        final CompletableFuture<byte[]> fin = new CompletableFuture<>();

        @Override
        public void onData(ByteBuf data) {
            bytes.writeBytes(ByteBufUtil.getBytes(data));
            data.release();
        }

        @Override
        public void onFin() {
            fin.complete(bytes.toByteArray());
        }

        @Override
        public void onReset(long code) {
            reset.complete(code);
        }
    }

    /** Opens a bidi stream, writes {@code data} (ownership passes) and reads the reply. Call on the loop. */
    Reply send(ByteBuf data, boolean finish) {
        Reply r = new Reply();
        BidiStream s = transport.client.openBidi().getNow();
        s.write(data);
        if (finish) s.finish();
        else s.flush();
        s.read(r);
        return r;
    }

    /** Bidi streams the relay opened to this peer, for a test to answer by hand. */
    final java.util.List<BidiStream> incoming = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onBidiStream(BidiStream stream) {
        incoming.add(stream);
        stream.read(new Reply());
    }

    @Override
    public void onUniStream(RecvStream stream) {
        stream.read(new Reply());
    }

    @Override
    public void onDatagram(ByteBuf data) {
        data.release();
    }

    @Override
    public void onClosed(long code, String reason, boolean clean) {
        closedCode.complete(code);
    }
}
