package org.moqrelay.transport.qmux.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.moqrelay.transport.qmux.wire.Frames.assertDecodes;
import static org.moqrelay.transport.qmux.wire.Frames.assertRoundTrip;
import static org.moqrelay.transport.qmux.wire.Frames.rejects;
import static org.moqrelay.transport.qmux.wire.QmuxException.FRAME_ENCODING_ERROR;
import static org.moqrelay.transport.qmux.wire.QmuxException.TRANSPORT_PARAMETER_ERROR;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_00;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_01;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_02;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.transport.qmux.wire.QmuxFrame.TransportParameters;

/** QX_TRANSPORT_PARAMETERS bodies (rs/qmux params.rs, js/qmux frame.ts). */
class QmuxParamsCodecTest {
    private static final String TYPE = "ff 51 53 30 0d 0a 0d 0a";

    private static TransportParameters tp(QmuxParams p) {
        return new TransportParameters(p);
    }

    @Test
    void defaultsAreTheRustRelayAndJsRecommendedValues() {
        QmuxParams d = QmuxParams.DEFAULTS;
        assertThat(List.of(d.maxIdleTimeoutMillis(), d.initialMaxData(), d.initialMaxStreamDataBidiLocal(),
                d.initialMaxStreamDataBidiRemote(), d.initialMaxStreamDataUni(), d.initialMaxStreamsBidi(),
                d.initialMaxStreamsUni(), d.maxDatagramFrameSize(), d.maxRecordSize()))
                .containsExactly(30000L, 1048576L, 262144L, 262144L, 262144L, 100L, 100L, 16382L, 16382L);
        assertThat(d.resetStreamAt()).isFalse();
        assertThat(d.applicationProtocols()).isEmpty();
    }

    @Test
    void anEmptyListMeansNoCreditAndTheDefaultRecordSize() {
        assertDecodes(TYPE + " 00", QMUX_01, tp(QmuxParams.EMPTY));
        assertThat(QmuxParams.EMPTY.maxRecordSize()).isEqualTo(16382);
    }

    @Test
    void zeroValuesAreOmitted() {
        QmuxParams p = new QmuxParams(0, 5, 0, 0, 0, 0, 0, 0, 16382, false, List.of());
        assertRoundTrip(tp(p), QMUX_00, TYPE + " 0e | 04 01 05 | c5 71 c5 94 29 cd 08 45 02 7f fe");
    }

    @Test
    void resetStreamAtIsAnEmptyValuedFlag() {
        QmuxParams p = QmuxParams.EMPTY.withResetStreamAt(true);
        assertRoundTrip(tp(p), QMUX_02, TYPE + " 0d | c5 71 c5 94 29 cd 08 45 02 7f fe | 1d 00");
        assertThat(rejects(TYPE + " 03 | 1d 01 00", QMUX_02).code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
    }

    @Test
    void applicationProtocolsAreLengthPrefixedNames() {
        QmuxParams p = QmuxParams.EMPTY.withApplicationProtocols(List.of("moq-lite-05", "moql"));
        assertRoundTrip(tp(p), QMUX_01, TYPE + " 25 | c5 71 c5 94 29 cd 08 45 02 7f fe"
                + " | fd 4f 9c 2a 8b 1e 60 75 | 11 | 0b 'moq-lite-05' | 04 'moql'");
    }

    @Test
    void anEmptyOrNonUtf8ProtocolListIsRejected() {
        assertThat(rejects(TYPE + " 09 | fd 4f 9c 2a 8b 1e 60 75 00", QMUX_01).code())
                .isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThat(rejects(TYPE + " 0b | fd 4f 9c 2a 8b 1e 60 75 02 01 ff", QMUX_01).code())
                .isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThat(rejects(TYPE + " 0b | fd 4f 9c 2a 8b 1e 60 75 02 05 'a'", QMUX_01).code())
                .isEqualTo(TRANSPORT_PARAMETER_ERROR);
    }

    @ParameterizedTest(name = "id 0x{0}")
    @ValueSource(strings = {"00", "02", "03", "0a", "0b", "0c", "0d", "0e", "0f", "10"})
    void forbiddenQuicV1IdsAreATransportParameterError(String id) {
        QmuxException e = rejects(TYPE + " 02 | " + id + " 00", QMUX_01);
        assertThat(e.code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThat(e.getMessage()).contains("forbidden");
    }

    @Test
    void aRepeatedKnownIdIsRejected() {
        assertThat(rejects(TYPE + " 06 | 04 01 05 | 04 01 06", QMUX_01).getMessage()).contains("duplicate");
        assertThat(rejects(TYPE + " 04 | 1d 00 1d 00", QMUX_02).getMessage()).contains("duplicate");
    }

    @Test
    void unknownIdsAreSkippedEvenWhenRepeated() {
        QmuxParams p = new QmuxParams(0, 5, 0, 0, 0, 0, 0, 0, 16382, false, List.of());
        assertDecodes(TYPE + " 0b | 11 01 ff | 04 01 05 | 40 ff 00 | 11 00", QMUX_01, tp(p));
    }

    @Test
    void aValueMustFillItsLengthExactly() {
        assertThat(rejects(TYPE + " 05 | 01 03 40 64 00", QMUX_01).code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThat(rejects(TYPE + " 04 | 01 02 80 00", QMUX_01).code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThat(rejects(TYPE + " 02 | 01 00", QMUX_01).code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
    }

    @Test
    void aParameterLongerThanTheListIsATransportParameterError() {
        assertThat(rejects(TYPE + " 03 | 04 05 05", QMUX_01).code()).isEqualTo(TRANSPORT_PARAMETER_ERROR);
    }

    @Test
    void aListLongerThanTheMessageIsAFrameEncodingError() {
        assertThat(rejects(TYPE + " 09 | 04 01 05", QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    @Test
    void initialMaxStreamsAbove2To60IsATransportParameterError() {
        assertThat(rejects(TYPE + " 0a | 08 08 d0 00 00 00 00 00 00 01", QMUX_01).code())
                .isEqualTo(TRANSPORT_PARAMETER_ERROR);
        assertThatThrownBy(() -> new QmuxParams(0, 0, 0, 0, 0, (1L << 60) + 1, 0, 0, 0, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withersChangeOnlyTheirField() {
        QmuxParams p = QmuxParams.DEFAULTS.withMaxDatagramFrameSize(0)
                .withApplicationProtocols(List.of("moq-lite-05")).withResetStreamAt(true);
        assertThat(p.maxDatagramFrameSize()).isZero();
        assertThat(p.applicationProtocols()).containsExactly("moq-lite-05");
        assertThat(p.resetStreamAt()).isTrue();
        assertThat(p.initialMaxData()).isEqualTo(QmuxParams.DEFAULTS.initialMaxData());
    }
}
