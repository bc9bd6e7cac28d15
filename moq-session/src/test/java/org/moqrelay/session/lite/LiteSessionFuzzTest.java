package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing of a relay's {@link LiteSession}: arbitrary bytes arrive on the peer's
 * bidi and uni streams over {@link MemoryTransport} (run by {@code scripts/fuzz.sh}; a plain test
 * run replays {@code LiteSessionFuzzTestInputs}). The session either keeps going or closes with a
 * moq-lite error code; nothing is thrown out of the event loop or logged as a failure, and every
 * buffer delivered to it is released once it is closed.
 *
 * <p>Input layout: byte 0 picks the version (lite-03, -04, -05); then streams, each
 * {@code flags (bit 0: uni, bit 1: FIN), length (u8), bytes}.
 */
class LiteSessionFuzzTest {
    private static final LiteVersion[] VERSIONS = {LiteVersion.LITE_03, LiteVersion.LITE_04, LiteVersion.LITE_05};
    private static final Harness H = new Harness();
    private static final ListAppender<ILoggingEvent> FAILURES = failureLog();

    @AfterAll
    static void closeHarness() {
        H.close();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(FAILURES);
    }

    @FuzzTest
    void feedAnyStreams(byte[] input) {
        if (input.length < 1) return;
        LiteVersion v = VERSIONS[(input[0] & 0xff) % VERSIONS.length];
        FAILURES.list.clear();
        RawPeer peer = H.connectRaw(v);
        H.run(() -> openStreams(peer, input));
        settle(peer);
        if (peer.closedCode.isDone()) {
            long code = peer.closedCode.join();
            assertThat(ErrorCode.of(code)).as("close code %s", code).isNotNull();
            assertThat(peer.relaySession.closeDescription()).isNotBlank();
        }
        H.run(() -> peer.relaySession.close(0, "input over"));
        settle(peer);
        // An empty write is delivered as Unpooled.EMPTY_BUFFER, which cannot be released.
        H.eventually(() -> assertThat(peer.transport.delivered).filteredOn(b -> b != Unpooled.EMPTY_BUFFER)
                .allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of %s", b).isZero()));
        H.raws.remove(peer);
        assertThat(FAILURES.list).as("exceptions logged while the session ran").isEmpty();
    }

    private static void openStreams(RawPeer peer, byte[] input) {
        int i = 1;
        while (i + 1 < input.length) {
            int flags = input[i] & 0xff;
            int len = Math.min(input[i + 1] & 0xff, input.length - i - 2);
            var data = Unpooled.wrappedBuffer(input, i + 2, len);
            i += 2 + len;
            if ((flags & 1) != 0) {
                SendStream s = peer.transport.client.openUni().getNow();
                if (s == null) return; // closed by the relay already
                s.write(data);
                if ((flags & 2) != 0) s.finish();
                else s.flush();
            } else {
                BidiStream s = peer.transport.client.openBidi().getNow();
                if (s == null) return;
                s.write(data);
                if ((flags & 2) != 0) s.finish();
                else s.flush();
                s.read(new RawPeer.Reply());
            }
        }
    }

    /** Lets queued deliveries and the relay's answers run until the transport is quiet (bounded). */
    private static void settle(RawPeer peer) {
        int quiet = 0;
        for (int round = 0; round < 200 && quiet < 3; round++) {
            int before = peer.transport.events.size();
            H.run(() -> {});
            quiet = peer.transport.events.size() == before ? quiet + 1 : 0;
        }
    }

    /** Collects WARN and ERROR events that carry an exception, from every logger. */
    private static ListAppender<ILoggingEvent> failureLog() {
        ListAppender<ILoggingEvent> a = new ListAppender<>();
        a.addFilter(new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent e) {
                return e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null
                        ? ch.qos.logback.core.spi.FilterReply.NEUTRAL : ch.qos.logback.core.spi.FilterReply.DENY;
            }
        });
        a.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(a);
        return a;
    }
}
