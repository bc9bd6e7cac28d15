package org.moqrelay.transport.qmux.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.moqrelay.wire.AllocationBudget;

/**
 * Coverage-guided fuzzing of the qmux decoders (run by {@code scripts/fuzz.sh}; a plain test run
 * replays the inputs under {@code QmuxCodecFuzzTestInputs}). Byte 0 of an input picks the
 * {@link QmuxVersion} (or the record size limit), the rest is the message or byte stream.
 */
class QmuxCodecFuzzTest {
    private static final QmuxVersion[] VERSIONS = QmuxVersion.values();

    /**
     * Any WebSocket message gives frames or a {@link QmuxException}; nothing stays retained once
     * the frames are released; encodable frames re-encode to a message that decodes the same.
     */
    @FuzzTest
    void decodeAnyMessage(byte[] input) {
        if (input.length < 1) return;
        QmuxVersion v = VERSIONS[(input[0] & 0xff) % VERSIONS.length];
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        ByteBuf message = Unpooled.wrappedBuffer(body);
        List<QmuxFrame> frames;
        try {
            frames = AllocationBudget.within(16 * 1024 + 64L * body.length, "QmuxCodec.decodeMessage",
                    () -> decodeAndRelease(body, v));
            frames = QmuxCodec.decodeMessage(message, v);
        } catch (QmuxException e) {
            assertThat(message.refCnt()).as("nothing retained after %s", e).isEqualTo(1);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        try {
            assertThat(message.isReadable()).isFalse();
            if (!v.multipleFramesPerMessage()) assertThat(frames).hasSize(1);
            assertRoundTrip(frames, v);
        } finally {
            QmuxCodec.releaseAll(frames);
        }
        assertThat(message.refCnt()).as("every frame's slice released").isEqualTo(1);
    }

    /**
     * Any TCP byte stream splits into records (or a {@link QmuxException} for one over the size
     * limit) whose bodies decode like messages, leaving nothing retained.
     */
    @FuzzTest
    void readAnyRecordStream(byte[] input) {
        if (input.length < 1) return;
        int maxRecordSize = 1 + (input[0] & 0xff) * 8;
        ByteBuf stream = Unpooled.wrappedBuffer(Arrays.copyOfRange(input, 1, input.length));
        try {
            ByteBuf record;
            while ((record = QmuxRecords.tryReadRecord(stream, maxRecordSize)) != null) {
                try {
                    assertThat(record.readableBytes()).isLessThanOrEqualTo(maxRecordSize);
                    QmuxCodec.releaseAll(QmuxCodec.decodeMessage(record, QmuxVersion.QMUX_01));
                } catch (QmuxException e) {
                    assertThat(e.getMessage()).isNotBlank();
                } finally {
                    record.release();
                }
            }
        } catch (QmuxException e) {
            assertThat(e.code()).isEqualTo(QmuxException.PROTOCOL_VIOLATION);
        }
        assertThat(stream.refCnt()).as("every record released").isEqualTo(1);
    }

    private static List<QmuxFrame> decodeAndRelease(byte[] body, QmuxVersion v) {
        List<QmuxFrame> frames = QmuxCodec.decodeMessage(Unpooled.wrappedBuffer(body), v);
        QmuxCodec.releaseAll(frames);
        return frames;
    }

    private static void assertRoundTrip(List<QmuxFrame> frames, QmuxVersion v) {
        if (!frames.stream().allMatch(f -> QmuxCodec.canEncode(f, v) && sendableReason(f))) return;
        ByteBuf out = Unpooled.buffer();
        try {
            for (QmuxFrame f : frames) QmuxCodec.encode(out, f, v);
            List<QmuxFrame> again = QmuxCodec.decodeMessage(out, v);
            try {
                assertThat(again).as("%s re-encoded", v).isEqualTo(mergePadding(frames));
            } finally {
                QmuxCodec.releaseAll(again);
            }
        } finally {
            out.release();
        }
    }

    /**
     * A PADDING type written as a longer varint (40 00) ends one run of zeros and starts another;
     * re-encoded, adjacent runs are one.
     */
    private static List<QmuxFrame> mergePadding(List<QmuxFrame> frames) {
        List<QmuxFrame> out = new ArrayList<>();
        for (QmuxFrame f : frames) {
            if (f instanceof QmuxFrame.Padding p && !out.isEmpty() && out.getLast() instanceof QmuxFrame.Padding q) {
                out.set(out.size() - 1, new QmuxFrame.Padding(q.length() + p.length()));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * A received reason is decoded leniently (bad UTF-8 becomes U+FFFD), so it can re-encode to more
     * than the {@link QmuxCodec#MAX_REASON_BYTES} the encoder allows; those frames are not resent.
     */
    private static boolean sendableReason(QmuxFrame f) {
        return !(f instanceof QmuxFrame.ConnectionClose c)
                || c.reason().getBytes(StandardCharsets.UTF_8).length <= QmuxCodec.MAX_REASON_BYTES;
    }
}
