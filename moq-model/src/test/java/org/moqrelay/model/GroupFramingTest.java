package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Frames cached with their wire framing: readers in the same format get the bytes as received,
 * everyone else the bare payload, and the one cached buffer is released exactly once.
 */
class GroupFramingTest {
    private static final int FORMAT = 7;

    private static ByteBuf framed(String header, String payload) {
        return Unpooled.copiedBuffer(header + payload, StandardCharsets.US_ASCII);
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void sameFormatGetsTheFramedBytesOthersThePayload() {
        Group g = new Group(3, System.nanoTime());
        ByteBuf data = framed("HH", "payload");
        assertThat(g.append(42, data, 2, FORMAT)).isTrue();

        Frame same = g.frame(0, FORMAT);
        assertThat(same.timestamp()).isEqualTo(42);
        assertThat(same.framingLength()).isEqualTo(2);
        assertThat(same.payloadSize()).isEqualTo(7);
        assertThat(text(same.payload())).isEqualTo("HHpayload");

        Frame other = g.frame(0, FORMAT + 1);
        assertThat(other.framingLength()).isZero();
        assertThat(other.payloadSize()).isEqualTo(7);
        assertThat(text(other.payload())).isEqualTo("payload");

        Frame plain = g.frame(0);
        assertThat(text(plain.payload())).isEqualTo("payload");
        assertThat(g.bytes()).as("the budget counts payload bytes, not framing").isEqualTo(7);

        assertThat(data.refCnt()).isEqualTo(1);
        g.evict();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void unframedFramesAreNeverHandedOutAsFramed() {
        Group g = new Group(0, System.nanoTime());
        ByteBuf data = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);
        g.append(5, data);
        Frame f = g.frame(0, Group.UNFRAMED + 1);
        assertThat(f.framingLength()).isZero();
        assertThat(text(f.payload())).isEqualTo("abc");
        assertThat(f.timestamp()).isEqualTo(5);
        assertThat(g.frame(1, FORMAT)).isNull();
        g.evict();
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void aClosedGroupReleasesAFramedAppend() {
        Group g = new Group(0, System.nanoTime());
        g.finish();
        ByteBuf data = framed("H", "x");
        assertThat(g.append(1, data, 1, FORMAT)).isFalse();
        assertThat(data.refCnt()).isZero();
    }
}
