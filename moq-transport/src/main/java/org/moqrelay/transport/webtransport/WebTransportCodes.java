package org.moqrelay.transport.webtransport;

import org.moqrelay.transport.quic.StreamCodes;
import org.moqrelay.transport.webtransport.h3.WebTransportErrors;

/** moq-lite codes inside WebTransport streams travel in the HTTP/3 WebTransport error range. */
final class WebTransportCodes implements StreamCodes {
    static final WebTransportCodes INSTANCE = new WebTransportCodes();

    @Override
    public long toWire(long code) {
        return WebTransportErrors.toHttp3(code);
    }

    @Override
    public long fromWire(long wire) {
        // Chromium ends streams with H3_CONNECT_ERROR (0x10f) when a session closes: no moq code.
        return WebTransportErrors.fromHttp3(wire).orElse(0);
    }
}
