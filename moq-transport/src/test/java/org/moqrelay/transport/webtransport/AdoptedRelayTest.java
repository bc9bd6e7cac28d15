package org.moqrelay.transport.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.spi.ReadHandler;

/** What an adopted WebTransport stream keeps for its reader, and when it lets go, as a raw QUIC stream does. */
class AdoptedRelayTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Records what it is told, releasing each buffer. */
    private static final class Log implements ReadHandler {
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(ByteBuf data) {
            events.add(data.toString(java.nio.charset.StandardCharsets.US_ASCII));
            data.release();
        }

        @Override
        public void onFin() {
            events.add("fin");
        }

        @Override
        public void onReset(long code) {
            events.add("reset " + code);
        }
    }

    @Test
    void whatCameBeforeTheReaderIsDeliveredInOrder() {
        AdoptedRelay relay = new AdoptedRelay(bytes("a"));
        relay.onData(bytes("b"));
        relay.onFin();
        Log log = new Log();
        relay.target(log);
        assertThat(log.events).containsExactly("a", "b", "fin");
    }

    @Test
    void aResetBeforeAnyReaderReleasesTheKeptBytesAndIsStillTold() {
        ByteBuf first = bytes("a");
        ByteBuf second = bytes("b");
        AdoptedRelay relay = new AdoptedRelay(first);
        relay.onData(second);
        relay.onReset(7);
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        Log log = new Log();
        relay.target(log);
        assertThat(log.events).containsExactly("reset 7");
    }

    @Test
    void stoppingReleasesTheKeptBytesAndWhatStillComes() {
        ByteBuf first = bytes("a");
        AdoptedRelay relay = new AdoptedRelay(first);
        relay.stop();
        assertThat(first.refCnt()).isZero();
        ByteBuf later = bytes("b");
        relay.onData(later);
        assertThat(later.refCnt()).isZero();
        Log log = new Log();
        relay.target(log);
        relay.onFin();
        assertThat(log.events).isEmpty();
    }

    @Test
    void anEmptyFirstBufferIsReleasedAtOnce() {
        ByteBuf empty = Unpooled.directBuffer(4);
        new AdoptedRelay(empty);
        assertThat(empty.refCnt()).isZero();
    }
}
