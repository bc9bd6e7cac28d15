package org.moqrelay.transport.webtransport;

import java.io.IOException;

/** The server answered our WebTransport CONNECT with a status other than 2xx (a proxy, or a server that refuses up front; a MoQ relay refusing a token answers 200 and closes the session with code 6). */
public final class WebTransportRefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public WebTransportRefusedException(String url, int status) {
        super("WebTransport CONNECT to " + url + " refused with HTTP status " + status);
        this.status = status;
    }

    /** The response's {@code :status}. */
    public int status() {
        return status;
    }
}
