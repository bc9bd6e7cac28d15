package org.moqrelay.transport.webtransport.h3;

import java.util.Objects;

/**
 * One HTTP field line as carried in an HTTP/3 field section.
 *
 * <p>Strings hold the field's octets one char per byte (ISO-8859-1), so nothing is lost whatever
 * bytes the peer sent; every field WebTransport cares about is ASCII anyway.
 */
public record HeaderField(String name, String value) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
