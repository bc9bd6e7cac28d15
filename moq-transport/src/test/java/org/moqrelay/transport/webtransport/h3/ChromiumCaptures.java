package org.moqrelay.transport.webtransport.h3;

import java.util.List;

/** Byte-exact ground truth from /work/shared/spec/chromium-captures.md. */
final class ChromiumCaptures {
    private ChromiumCaptures() {}

    /** §1: the 205-byte CONNECT HEADERS frame Chromium 156 sends on bidi stream 0. */
    static final String CONNECT_HEADERS_FRAME = """
            01 40 ca 00 00 d7 cf 50 8b 08 9d 5c 0b 81 70 dc 0b 4d 34 cf 51 84 60 75 1e af 2f 00 b9 5d 87 49 c8 7a 3f 89 f0 58 d3 60 ea
            45 67 b1 3f 2f 0e 41 48 b7 82 c6 9b 07 52 2b 3d 89 5a 74 a6 b6 56 92 c1 ca 90 0b 01 31 5f 4b 90 9d 29 ae e3 0c 04 4e ae 05
            c0 b8 6e 05 e6 9a 67 2f 09 f0 95 87 dc 66 a0 71 d0 55 ab b0 e9 39 0f 42 3f e1 fe 69 3f 65 a8 32 4a b0 1b fe 7e 94 fe 69 3f
            65 a8 32 4a b0 1a fe 7e 94 fe 69 3f 65 a8 32 4a b0 19 fe 7e 94 fe 69 3f 6a 3f 9f a5 3f 9a 4f d9 2b 08 1f cf d2 9f cd 27 ec
            95 82 ff f3 f4 a7 f3 49 fb 25 60 bd fc fd 29 fc d2 7e c9 58 2e ff 3f 4a 7f 34 9f b2 56 0b 9f cf d2 9f cd 27 ec 95 82 df f3
            """;

    static final String AVAILABLE_PROTOCOLS = "\"moq-lite-05\", \"moq-lite-04\", \"moq-lite-03\", \"moql\", "
            + "\"moqt-20\", \"moqt-19\", \"moqt-18\", \"moqt-17\", \"moqt-16\", \"moqt-15\"";

    /** §1: the decoded field lines of {@link #CONNECT_HEADERS_FRAME}, in wire order. */
    static final List<HeaderField> CONNECT_FIELDS = List.of(
            new HeaderField(":scheme", "https"),
            new HeaderField(":method", "CONNECT"),
            new HeaderField(":authority", "127.0.0.1:14443"),
            new HeaderField(":path", "/anon"),
            new HeaderField(":protocol", "webtransport"),
            new HeaderField("sec-webtransport-http3-draft02", "1"),
            new HeaderField("origin", "http://127.0.0.1:18443"),
            new HeaderField("wt-available-protocols", AVAILABLE_PROTOCOLS));

    /** §2 / transports.md §2.4: the 71-byte response HEADERS frame. */
    static final String RESPONSE_HEADERS_FRAME =
            "01 40 44 00 00 d9 27 15 'sec-webtransport-http3-draft' 07 'draft02' 27 04 'wt-protocol' 0d '\"moq-lite-05\"'";

    /** §1: the DATA frame with a GREASE capsule Chromium sends right behind the HEADERS frame (18 random bytes). */
    static final String GREASE_CAPSULE_DATA_FRAME =
            "00 1b | c5 19 6b 96 56 a6 45 7c | 12 | 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12";
}
