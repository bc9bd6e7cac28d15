package org.moqrelay.transport.qmux.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The capability table of transports.md §3.3, one row per wire version. */
class QmuxVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // version,     token,        varint, params, credits, multi, padding, ping, datagram, resetAt
        "WEBTRANSPORT, webtransport, false,  false,  false,   false, false,   false, false,   false",
        "QMUX_00,      qmux-00,      true,   true,   true,    false, false,   false, false,   false",
        "QMUX_01,      qmux-01,      true,   true,   true,    true,  true,    true,  true,    false",
        "QMUX_02,      qmux-02,      true,   true,   true,    true,  true,    true,  true,    true",
    })
    void eachVersionHasTheCapabilitiesOfItsDraft(QmuxVersion v, String token, boolean varint, boolean params,
            boolean credits, boolean multi, boolean padding, boolean ping, boolean datagram, boolean resetAt) {
        assertThat(v.token()).isEqualTo(token);
        assertThat(v.hasVarintFrameTypes()).isEqualTo(varint);
        assertThat(v.hasTransportParameters()).isEqualTo(params);
        assertThat(v.hasFlowControl()).isEqualTo(credits);
        assertThat(v.multipleFramesPerMessage()).isEqualTo(multi);
        assertThat(v.hasPadding()).isEqualTo(padding);
        assertThat(v.hasPing()).isEqualTo(ping);
        assertThat(v.hasDatagrams()).isEqualTo(datagram);
        assertThat(v.hasResetStreamAt()).isEqualTo(resetAt);
    }
}
