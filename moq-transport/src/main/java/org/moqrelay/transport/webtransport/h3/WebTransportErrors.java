package org.moqrelay.transport.webtransport.h3;

import java.util.OptionalLong;

/**
 * Maps 32-bit WebTransport application error codes to and from the HTTP/3 error codes carried in
 * RESET_STREAM / STOP_SENDING (draft-ietf-webtrans-http3 §4.4). The range skips the HTTP/3
 * GREASE code points {@code 0x1f * N + 0x21}, hence the extra step every 0x1e codes.
 */
public final class WebTransportErrors {
    /** HTTP/3 code of WebTransport code 0. */
    public static final long FIRST = 0x52e4a40fa8dbL;
    /** HTTP/3 code of WebTransport code 0xffffffff. */
    public static final long LAST = 0x52e5ac983162L;

    private WebTransportErrors() {}

    /**
     * The HTTP/3 code for a WebTransport code.
     *
     * @throws IllegalArgumentException unless {@code code} is in [0, 0xffffffff]
     */
    public static long toHttp3(long code) {
        if (code < 0 || code > 0xffff_ffffL) {
            throw new IllegalArgumentException("WebTransport error code must fit in 32 bits: " + code);
        }
        return FIRST + code + code / 0x1e;
    }

    /**
     * The WebTransport code carried by an HTTP/3 code, or empty if it is outside the WebTransport
     * range or is one of the GREASE code points inside it (those carry no code).
     */
    public static OptionalLong fromHttp3(long h3) {
        if (h3 < FIRST || h3 > LAST || Http3Frames.isGrease(h3)) {
            return OptionalLong.empty();
        }
        long shifted = h3 - FIRST;
        return OptionalLong.of(shifted - shifted / 0x1f);
    }
}
