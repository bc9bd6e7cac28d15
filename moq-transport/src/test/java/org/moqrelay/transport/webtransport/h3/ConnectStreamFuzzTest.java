package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.moqrelay.wire.AllocationBudget;

/**
 * Coverage-guided fuzzing of what reads a WebTransport CONNECT stream: HTTP/3 frames, the QPACK
 * field section, the request's validation, then the capsules after it (run by
 * {@code scripts/fuzz.sh}; a plain test run replays {@code ConnectStreamFuzzTestInputs}).
 */
class ConnectStreamFuzzTest {
    /** ConnectStreamReader's limit on a request's HEADERS frame. */
    private static final int MAX_HEADERS = 16 * 1024;
    private static final Set<String> SUPPORTED = Set.of("moq-lite-05", "moq-lite-04", "moq-lite-03");

    /**
     * The request stream as ConnectStreamReader reads it: any bytes end in a request (answered),
     * "not yet", or an {@link Http3Exception} / {@link QpackException}, never another exception;
     * a decoded field section re-encodes to one that decodes the same.
     */
    @FuzzTest
    void readAnyRequestStream(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            Http3Frames.FrameHeader h;
            while ((h = Http3Frames.readFrameHeader(in, MAX_HEADERS)) != null) {
                ByteBuf payload = in.readSlice((int) h.length());
                if (h.type() != Http3Frames.HEADERS) continue;
                byte[] section = new byte[payload.readableBytes()];
                payload.getBytes(payload.readerIndex(), section);
                List<HeaderField> fields = AllocationBudget.within(16 * 1024 + 64L * section.length,
                        "QpackDecoder.decode", () -> QpackDecoder.decode(Unpooled.wrappedBuffer(section)));
                assertQpackRoundTrip(fields);
                answer(ConnectRequest.parse(fields));
                // The capsules that follow, read by the established session.
                Capsules.Reader capsules = new Capsules.Reader();
                capsules.feed(in);
                capsules.finish();
                break;
            }
        } catch (Http3Exception e) {
            assertThat(e.errorCode()).isBetween(Http3Exception.H3_NO_ERROR, Http3Exception.H3_CONNECT_ERROR);
        } catch (QpackException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        assertThat(in.refCnt()).isEqualTo(1);
    }

    /** What ConnectStreamReader does with a valid request: its URL, protocol and 200 answer. */
    private static void answer(ConnectRequest req) {
        assertThat(req.url()).startsWith("https://");
        String protocol = req.selectProtocol(SUPPORTED).orElse(null);
        ByteBuf frame = QpackEncoder.headersFrame(ConnectRequest.responseFields(200, protocol));
        frame.release();
    }

    private static void assertQpackRoundTrip(List<HeaderField> fields) {
        // The encoder refuses names HTTP/3 forbids (empty, upper-case); ConnectRequest rejects those.
        if (fields.stream().anyMatch(f -> f.name().isEmpty() || !f.name().equals(f.name().toLowerCase(Locale.ROOT)))) {
            return;
        }
        ByteBuf out = Unpooled.buffer();
        try {
            QpackEncoder.encode(out, fields);
            assertThat(QpackDecoder.decode(out, Integer.MAX_VALUE)).isEqualTo(fields);
        } finally {
            out.release();
        }
    }
}
