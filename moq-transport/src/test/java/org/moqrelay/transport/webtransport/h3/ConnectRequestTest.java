package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ConnectRequestTest {

    private static final List<HeaderField> CHROMIUM = ChromiumCaptures.CONNECT_FIELDS;

    private static List<HeaderField> replace(String name, String value) {
        return edit(fields -> {
            fields.replaceAll(f -> f.name().equals(name) ? new HeaderField(name, value) : f);
            return fields;
        });
    }

    private static List<HeaderField> without(String name) {
        return edit(fields -> {
            fields.removeIf(f -> f.name().equals(name));
            return fields;
        });
    }

    private static List<HeaderField> edit(UnaryOperator<List<HeaderField>> change) {
        return change.apply(new ArrayList<>(CHROMIUM));
    }

    private static void assertMalformed(List<HeaderField> fields, String messagePart) {
        assertThatThrownBy(() -> ConnectRequest.parse(fields))
                .isInstanceOfSatisfying(Http3Exception.class,
                        e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_MESSAGE_ERROR))
                .hasMessageContaining(messagePart);
    }

    @Test
    void theChromiumConnectFrameParsesIntoARequestWithTenProtocols() {
        ByteBuf frame = Hex.buf(ChromiumCaptures.CONNECT_HEADERS_FRAME);
        Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(frame, 65536);
        ConnectRequest request = ConnectRequest.parse(QpackDecoder.decode(frame.readSlice((int) h.length())));

        assertThat(request).isEqualTo(new ConnectRequest(
                "CONNECT", "webtransport", "https", "127.0.0.1:14443", "/anon", "http://127.0.0.1:18443",
                List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql",
                        "moqt-20", "moqt-19", "moqt-18", "moqt-17", "moqt-16", "moqt-15")));
        assertThat(request.url()).isEqualTo("https://127.0.0.1:14443/anon");
    }

    @Test
    void theFirstClientProtocolTheServerSupportsIsSelected() {
        ConnectRequest request = ConnectRequest.parse(CHROMIUM);
        assertThat(request.selectProtocol(Set.of("moqt-15", "moq-lite-04", "moq-lite-05"))).contains("moq-lite-05");
        assertThat(request.selectProtocol(Set.of("moqt-15", "moq-lite-03"))).contains("moq-lite-03");
        assertThat(request.selectProtocol(Set.of("moq-lite-99"))).isEmpty();
    }

    @Test
    void theResponseFieldsEncodeToTheCapturedResponse() {
        List<HeaderField> fields = ConnectRequest.responseFields(200, "moq-lite-05");
        assertThat(Hex.of(QpackEncoder.headersFrame(fields))).isEqualTo(Hex.normalize(ChromiumCaptures.RESPONSE_HEADERS_FRAME));
        assertThat(ConnectRequest.responseFields(200, null))
                .extracting(HeaderField::name).containsExactly(":status", "sec-webtransport-http3-draft");
    }

    @Test
    void webtransportH3IsAcceptedAsTheProtocolToo() {
        assertThat(ConnectRequest.parse(replace(":protocol", "webtransport-h3")).protocol()).isEqualTo("webtransport-h3");
    }

    @Test
    void aMissingOriginIsNull() {
        assertThat(ConnectRequest.parse(without("origin")).origin()).isNull();
    }

    @Test
    void aMissingOrUnparsableProtocolListMeansNoProtocols() {
        assertThat(ConnectRequest.parse(without("wt-available-protocols")).availableProtocols()).isEmpty();
        assertThat(ConnectRequest.parse(replace("wt-available-protocols", "\"a\", 1")).availableProtocols()).isEmpty();
    }

    @Test
    void repeatedProtocolListLinesAreJoined() {
        List<HeaderField> fields = without("wt-available-protocols");
        fields.add(new HeaderField("wt-available-protocols", "\"moq-lite-05\""));
        fields.add(new HeaderField("wt-available-protocols", "moqt-15"));
        assertThat(ConnectRequest.parse(fields).availableProtocols()).containsExactly("moq-lite-05", "moqt-15");
    }

    @Test
    void wrongMethodProtocolOrSchemeIsMalformed() {
        assertMalformed(replace(":method", "GET"), "CONNECT");
        assertMalformed(replace(":protocol", "websocket"), ":protocol");
        assertMalformed(without(":protocol"), ":protocol");
        assertMalformed(replace(":scheme", "http"), ":scheme");
    }

    @Test
    void missingAuthorityOrPathIsMalformed() {
        assertMalformed(without(":authority"), ":authority");
        assertMalformed(replace(":authority", ""), ":authority");
        assertMalformed(without(":path"), ":path");
    }

    @Test
    void duplicateUnknownOrLatePseudoHeadersAreMalformed() {
        List<HeaderField> dup = new ArrayList<>(CHROMIUM);
        dup.add(1, new HeaderField(":path", "/other"));
        assertMalformed(dup, "duplicate :path");

        List<HeaderField> status = new ArrayList<>(CHROMIUM);
        status.add(0, new HeaderField(":status", "200"));
        assertMalformed(status, ":status");

        List<HeaderField> late = new ArrayList<>(without(":path"));
        late.add(new HeaderField(":path", "/anon"));
        assertMalformed(late, "after a regular field");
    }

    @Test
    void upperCaseFieldNamesAreMalformed() {
        List<HeaderField> fields = new ArrayList<>(CHROMIUM);
        fields.add(new HeaderField("Origin", "x"));
        assertMalformed(fields, "lower-case");
    }
}
