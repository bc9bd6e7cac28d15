package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;

/** Coverage-guided fuzzing of an HTTP/3 SETTINGS payload (run by {@code scripts/fuzz.sh}). */
class SettingsFuzzTest {

    /**
     * Any payload gives settings or an {@link Http3Exception} (H3_SETTINGS_ERROR / H3_FRAME_ERROR)
     * without moving the reader index; settings re-encode to a frame that parses the same.
     */
    @FuzzTest
    void parseAnySettings(byte[] input) {
        ByteBuf payload = Unpooled.wrappedBuffer(input);
        Map<Long, Long> settings;
        try {
            settings = Http3Frames.parseSettings(payload);
        } catch (Http3Exception e) {
            assertThat(e.errorCode()).isIn(Http3Exception.H3_SETTINGS_ERROR, Http3Exception.H3_FRAME_ERROR);
            return;
        } finally {
            assertThat(payload.readerIndex()).isZero();
        }
        // The client's check names a missing setting exactly when the server lacks one of the three.
        boolean complete = Http3Frames.supportsWebTransport(settings)
                && settings.getOrDefault(Http3Frames.SETTINGS_ENABLE_CONNECT_PROTOCOL, 0L) == 1;
        java.util.Optional<String> missing = Http3Frames.missingForWebTransportServer(settings);
        assertThat(missing.isEmpty()).as("nothing missing from %s", settings).isEqualTo(complete);
        missing.ifPresent(name -> assertThat(name).isNotBlank());
        ByteBuf out = Unpooled.buffer();
        Http3Frames.writeSettings(out, settings);
        Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(out, Long.MAX_VALUE);
        assertThat(h.type()).isEqualTo(Http3Frames.SETTINGS);
        assertThat(h.length()).isEqualTo(out.readableBytes());
        assertThat(Http3Frames.parseSettings(out)).isEqualTo(settings);
    }
}
