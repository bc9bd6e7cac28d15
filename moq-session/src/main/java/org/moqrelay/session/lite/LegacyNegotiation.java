package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.lite.ClientSetup;
import org.moqrelay.wire.lite.LegacySetupCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the legacy SETUP exchange (spec/moq-lite.md §4.1), for connections whose
 * ALPN or subprotocol did not fix the version ({@code moql}, WebTransport without a protocol,
 * bare qmux framings): reads CLIENT_SETUP on the first bidi stream, picks the client's first
 * version among lite-02 and lite-01, answers SERVER_SETUP, and starts the session, with that
 * stream kept open as the session stream.
 */
public final class LegacyNegotiation implements ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(LegacyNegotiation.class);

    private final Connection conn;
    private final SessionConfig config;
    private final String id;
    private final Consumer<LiteSession> started;
    private final List<Object> queued = new ArrayList<>();
    private final ScheduledFuture<?> timer;
    private BidiStream setupStream;
    private boolean done;

    private LegacyNegotiation(Connection conn, SessionConfig config, String id, Consumer<LiteSession> started) {
        this.conn = conn;
        this.config = config;
        this.id = id;
        this.started = started;
        this.timer = conn.eventLoop().schedule(() -> refuse(ErrorCode.TIMEOUT, "no CLIENT_SETUP within "
                + LiteSession.SETUP_TIMEOUT_MILLIS + " ms"), LiteSession.SETUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Waits for the client's CLIENT_SETUP on {@code conn}; {@code started} gets the session. */
    public static void accept(Connection conn, SessionConfig config, String id, Consumer<LiteSession> started) {
        conn.handler(new LegacyNegotiation(conn, config, id, started));
    }

    @Override
    public void onBidiStream(BidiStream stream) {
        if (done) {
            stream.reset(ErrorCode.CANCEL.code());
            return;
        }
        if (setupStream != null) {
            queued.add(stream);
            return;
        }
        setupStream = stream;
        stream.read(new StreamSniffer(type -> {
            if (type != LegacySetupCodec.CLIENT_SETUP) {
                refuse(ErrorCode.VERSION, "first stream has type " + type + ", expected CLIENT_SETUP (0x20)");
                return new DiscardHandler();
            }
            return new SetupReader();
        }));
    }

    @Override
    public void onUniStream(RecvStream stream) {
        if (done) {
            stream.stopSending(ErrorCode.CANCEL.code());
            return;
        }
        queued.add(stream);
    }

    @Override
    public void onDatagram(ByteBuf data) {
        data.release();
    }

    @Override
    public void onClosed(long code, String reason, boolean clean) {
        done = true;
        timer.cancel(false);
    }

    private void refuse(ErrorCode code, String why) {
        if (done) return;
        done = true;
        timer.cancel(false);
        log.info("session {} ({}): legacy setup failed: {}", id, conn.describe(), why);
        conn.close(code.code(), why);
    }

    private void onClientSetup(ClientSetup setup, ReadHandler[] rest) {
        LiteVersion chosen = null;
        for (long v : setup.versions()) {
            if (v == LiteVersion.LITE_02.wireCode()) chosen = LiteVersion.LITE_02;
            else if (v == LiteVersion.LITE_01.wireCode()) chosen = LiteVersion.LITE_01;
            if (chosen != null) break;
        }
        if (chosen == null) {
            refuse(ErrorCode.VERSION, "no common version in " + setup.versions().stream().map(Long::toHexString).toList());
            return;
        }
        done = true;
        timer.cancel(false);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(16);
        LegacySetupCodec.encodeServerSetup(out, chosen.wireCode());
        setupStream.write(out);
        setupStream.flush();
        LiteSession session = LiteSession.start(conn, chosen, config, id);
        rest[0] = session.sessionStreamReader(setupStream);
        for (Object o : queued) {
            if (o instanceof BidiStream b) session.onBidiStream(b);
            else session.onUniStream((RecvStream) o);
        }
        queued.clear();
        started.accept(session);
    }

    /** Reads CLIENT_SETUP, then hands the rest of the stream to the session. */
    private final class SetupReader implements ReadHandler {
        private ByteBuf buf;
        private final ReadHandler[] after = new ReadHandler[1];

        @Override
        public void onData(ByteBuf data) {
            if (after[0] != null) {
                after[0].onData(data);
                return;
            }
            buf = buf == null ? data : Unpooled.wrappedBuffer(buf, data);
            try {
                ClientSetup setup = LegacySetupCodec.decodeClientSetup(buf);
                if (setup == null) return;
                onClientSetup(setup, after);
                ByteBuf rest = buf;
                buf = null;
                if (after[0] != null && rest.isReadable()) after[0].onData(rest);
                else rest.release();
            } catch (DecodeException e) {
                release();
                refuse(e.code(), e.getMessage());
            }
        }

        @Override
        public void onFin() {
            release();
            if (after[0] != null) after[0].onFin();
            else refuse(ErrorCode.DECODE, "setup stream ended before CLIENT_SETUP");
        }

        @Override
        public void onReset(long code) {
            release();
            if (after[0] != null) after[0].onReset(code);
            else refuse(ErrorCode.CANCEL, "setup stream reset");
        }

        private void release() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }
}
