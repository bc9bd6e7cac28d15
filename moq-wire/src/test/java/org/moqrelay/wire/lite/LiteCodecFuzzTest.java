package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.moqrelay.wire.AllocationBudget;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.LiteVersion;

/**
 * Coverage-guided fuzzing of {@link LiteCodec#decode} for every version and message kind (run by
 * {@code scripts/fuzz.sh}; a plain test run replays the seeds under {@code LiteCodecFuzzTestInputs}).
 *
 * <p>Input layout: byte 0 picks the version, byte 1 the message kind, the rest is the stream.
 */
class LiteCodecFuzzTest {
    private static final LiteVersion[] VERSIONS = LiteVersion.values();
    private static final MessageKind[] KINDS = MessageKind.values();

    /**
     * Any bytes give a message, "not yet" (null, nothing consumed) or a {@link DecodeException}
     * with a code; a message re-encodes to bytes that decode to an equal message; and no more is
     * allocated than the input can justify.
     */
    @FuzzTest
    void decodeAnyMessage(byte[] input) {
        if (input.length < 2) return;
        LiteVersion v = VERSIONS[(input[0] & 0xff) % VERSIONS.length];
        MessageKind kind = KINDS[(input[1] & 0xff) % KINDS.length];
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);
        Decoded d = AllocationBudget.within(64 * 1024 + 64L * stream.length, "LiteCodec.decode",
                () -> Decoded.of(stream, kind, v));
        if (d.error() != null) {
            assertThat(d.error().code()).isNotNull();
            assertThat(d.error().getMessage()).isNotBlank();
            return;
        }
        LiteMessage m = d.message();
        if (m == null) {
            assertThat(d.consumed()).as("incomplete message consumed bytes").isZero();
            return;
        }
        assertThat(d.consumed()).isPositive();
        // A strict prefix of the message is never a message yet.
        assertThat(LiteCodec.decode(Unpooled.wrappedBuffer(stream, 0, d.consumed() - 1), kind, v)).isNull();
        assertRoundTrip(m, kind, v);
    }

    /** RESTART is decode-only (moq-lite.md §5.3): it goes out as ACTIVE, as the reference sends it. */
    private static LiteMessage sendable(LiteMessage m) {
        if (m instanceof Announce a && a.status() == Announce.Status.RESTART) {
            return new Announce(Announce.Status.ACTIVE, a.suffix(), a.hops());
        }
        return m;
    }

    /** One decode attempt: a message (or null for "not yet") and the bytes it took, or the error. */
    private record Decoded(LiteMessage message, int consumed, DecodeException error) {
        static Decoded of(byte[] stream, MessageKind kind, LiteVersion v) {
            ByteBuf in = Unpooled.wrappedBuffer(stream);
            try {
                return new Decoded(LiteCodec.decode(in, kind, v), in.readerIndex(), null);
            } catch (DecodeException e) {
                return new Decoded(null, in.readerIndex(), e);
            }
        }
    }

    private static void assertRoundTrip(LiteMessage m, MessageKind kind, LiteVersion v) {
        ByteBuf out = Unpooled.buffer();
        try {
            LiteCodec.encode(out, m, v);
            int encoded = out.readableBytes();
            LiteMessage again = LiteCodec.decode(out, kind, v);
            assertThat(again).as("%s on %s re-encoded", kind, v).isEqualTo(sendable(m));
            assertThat(out.readerIndex()).isEqualTo(encoded);
        } finally {
            out.release();
        }
    }
}
