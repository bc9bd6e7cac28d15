package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebTransportErrorsTest {

    @ParameterizedTest(name = "WebTransport code {0} is HTTP/3 code {1}")
    @CsvSource({
            "0,          0x52e4a40fa8db",
            "6,          0x52e4a40fa8e1",
            "29,         0x52e4a40fa8f8",
            "30,         0x52e4a40fa8fa",
            "4294967295, 0x52e5ac983162",
    })
    void specExamplesMapBothWays(long code, String h3Hex) {
        long h3 = Long.decode(h3Hex);
        assertThat(WebTransportErrors.toHttp3(code)).isEqualTo(h3);
        assertThat(WebTransportErrors.fromHttp3(h3)).hasValue(code);
    }

    @Property
    void everyCodeUpToAMillionRoundTripsAndAvoidsGrease(@ForAll @LongRange(min = 0, max = 1_000_000) long code) {
        long h3 = WebTransportErrors.toHttp3(code);
        assertThat(Http3Frames.isGrease(h3)).isFalse();
        assertThat(WebTransportErrors.fromHttp3(h3)).hasValue(code);
    }

    @Property
    void everyHttp3CodeInRangeIsEitherGreaseOrTheImageOfItsDecoding(
            @ForAll @LongRange(min = WebTransportErrors.FIRST, max = WebTransportErrors.LAST) long h3) {
        var code = WebTransportErrors.fromHttp3(h3);
        if (Http3Frames.isGrease(h3)) {
            assertThat(code).isEmpty();
        } else {
            assertThat(WebTransportErrors.toHttp3(code.getAsLong())).isEqualTo(h3);
        }
    }

    @Test
    void codesOutsideTheRangeOrOnGreaseDecodeToNothing() {
        assertThat(WebTransportErrors.fromHttp3(WebTransportErrors.FIRST - 1)).isEmpty();
        assertThat(WebTransportErrors.fromHttp3(WebTransportErrors.LAST + 1)).isEmpty();
        assertThat(WebTransportErrors.fromHttp3(0x10f)).isEmpty(); // H3_CONNECT_ERROR from Chromium
        assertThat(WebTransportErrors.fromHttp3(WebTransportErrors.FIRST + 30)).isEmpty(); // GREASE
        assertThat(WebTransportErrors.fromHttp3(-1)).isEmpty();
    }

    @Test
    void codesThatDoNotFitIn32BitsAreRefused() {
        assertThatThrownBy(() -> WebTransportErrors.toHttp3(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebTransportErrors.toHttp3(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
