package org.moqrelay.transport.webtransport;

import java.io.IOException;

/**
 * The server's HTTP/3 SETTINGS do not allow a WebTransport CONNECT (RFC 9220 §3: no extended
 * CONNECT without SETTINGS_ENABLE_CONNECT_PROTOCOL = 1; nor WebTransport without HTTP datagrams and
 * its own setting), so the client did not send one.
 */
public final class WebTransportUnsupportedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String missingSetting;

    public WebTransportUnsupportedException(String url, String missingSetting) {
        super("the server at " + url + " cannot take a WebTransport session: its HTTP/3 SETTINGS lack "
                + missingSetting);
        this.missingSetting = missingSetting;
    }

    /** The setting the server should have sent, with its identifier and value, e.g. {@code SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8) = 1}. */
    public String missingSetting() {
        return missingSetting;
    }
}
