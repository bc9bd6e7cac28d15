package org.moqrelay.transport.qmux.wire;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/** Test helper: encode to hex and decode from hex, releasing everything it allocates. */
final class Frames {
    private Frames() {}

    static String encode(QmuxFrame frame, QmuxVersion version) {
        ByteBuf out = Unpooled.buffer();
        try {
            QmuxCodec.encode(out, frame, version);
            return Hex.of(out);
        } finally {
            out.release();
        }
    }

    /** Decodes {@code hex} as one message and asserts it yields exactly {@code expected}. */
    static void assertDecodes(String hex, QmuxVersion version, QmuxFrame... expected) {
        ByteBuf message = Hex.buf(hex);
        try {
            List<QmuxFrame> frames = QmuxCodec.decodeMessage(message, version);
            try {
                assertThat(frames).containsExactly(expected);
                assertThat(message.isReadable()).isFalse();
            } finally {
                QmuxCodec.releaseAll(frames);
            }
            assertThat(message.refCnt()).as("slices released with their frames").isEqualTo(1);
        } finally {
            message.release();
        }
    }

    /** Asserts that {@code frame} encodes to {@code hex} and decodes back from it. */
    static void assertRoundTrip(QmuxFrame frame, QmuxVersion version, String hex) {
        assertThat(encode(frame, version)).isEqualTo(Hex.normalize(hex));
        assertDecodes(hex, version, frame);
    }

    /** Decodes {@code hex} expecting a QmuxException, with no slice left retained; returns it. */
    static QmuxException rejects(String hex, QmuxVersion version) {
        ByteBuf message = Hex.buf(hex);
        try {
            QmuxException e = catchThrowableOfType(QmuxException.class,
                    () -> QmuxCodec.decodeMessage(message, version));
            assertThat(e).as("QmuxException for %s on %s", hex, version).isNotNull();
            assertThat(message.refCnt()).as("nothing retained after a failure").isEqualTo(1);
            return e;
        } finally {
            message.release();
        }
    }

    static ByteBuf data(String hex) {
        return Hex.buf(hex);
    }
}
