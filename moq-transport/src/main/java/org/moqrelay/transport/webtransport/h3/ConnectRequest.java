package org.moqrelay.transport.webtransport.h3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A WebTransport extended CONNECT request (RFC 9220, draft-ietf-webtrans-http3 §3.2), validated.
 *
 * @param method always {@code CONNECT}
 * @param protocol {@code webtransport} (what Chromium and Safari send) or {@code webtransport-h3}
 * @param scheme always {@code https}
 * @param authority {@code host[:port]}, non-empty
 * @param path path and query, non-empty
 * @param origin the {@code origin} field, or null if absent
 * @param availableProtocols the client's {@code wt-available-protocols} in preference order;
 *     empty if absent or unparsable
 */
public record ConnectRequest(
        String method,
        String protocol,
        String scheme,
        String authority,
        String path,
        String origin,
        List<String> availableProtocols) {

    public static final String WT_AVAILABLE_PROTOCOLS = "wt-available-protocols";
    public static final String WT_PROTOCOL = "wt-protocol";

    public ConnectRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(path, "path");
        availableProtocols = List.copyOf(availableProtocols);
    }

    /**
     * Validates decoded request fields. Pseudo-fields may come in any order (Chromium sends
     * {@code :scheme} before {@code :method}) but must precede regular fields (RFC 9114 §4.3).
     *
     * @throws Http3Exception H3_MESSAGE_ERROR if the request is malformed or is not a
     *     WebTransport CONNECT
     */
    public static ConnectRequest parse(List<HeaderField> fields) {
        Map<String, String> pseudo = new HashMap<>();
        String origin = null;
        List<String> protocolLines = new ArrayList<>();
        boolean regularSeen = false;
        for (HeaderField f : fields) {
            String name = f.name();
            if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
                throw malformed("field name must be non-empty lower-case: " + name);
            }
            if (name.startsWith(":")) {
                if (regularSeen) {
                    throw malformed("pseudo-header " + name + " after a regular field");
                }
                switch (name) {
                    case ":method", ":protocol", ":scheme", ":authority", ":path" -> {}
                    default -> throw malformed("pseudo-header " + name + " not allowed in a request");
                }
                if (pseudo.putIfAbsent(name, f.value()) != null) {
                    throw malformed("duplicate " + name);
                }
                continue;
            }
            regularSeen = true;
            if (name.equals("origin") && origin == null) {
                origin = f.value();
            } else if (name.equals(WT_AVAILABLE_PROTOCOLS)) {
                protocolLines.add(f.value());
            }
        }
        String method = pseudo.get(":method");
        if (!"CONNECT".equals(method)) {
            throw malformed("expected :method CONNECT, got " + method);
        }
        String protocol = pseudo.get(":protocol");
        if (!"webtransport".equals(protocol) && !"webtransport-h3".equals(protocol)) {
            throw malformed("expected :protocol webtransport, got " + protocol);
        }
        String scheme = pseudo.get(":scheme");
        if (!"https".equals(scheme)) {
            throw malformed("expected :scheme https, got " + scheme);
        }
        String authority = pseudo.get(":authority");
        if (authority == null || authority.isEmpty()) {
            throw malformed("missing :authority");
        }
        String path = pseudo.get(":path");
        if (path == null || path.isEmpty()) {
            throw malformed("missing :path");
        }
        return new ConnectRequest(method, protocol, scheme, authority, path, origin, protocols(protocolLines));
    }

    /** Field lines of one name are one comma-separated list (RFC 9110 §5.3). */
    private static List<String> protocols(List<String> lines) {
        if (lines.isEmpty()) {
            return List.of();
        }
        try {
            return StructuredFields.parseList(String.join(", ", lines));
        } catch (IllegalArgumentException e) {
            // RFC 8941 §4.2: a field that fails to parse is ignored as a whole, which here means
            // no subprotocol and the legacy SETUP path rather than a failed session.
            return List.of();
        }
    }

    private static Http3Exception malformed(String why) {
        return new Http3Exception(Http3Exception.H3_MESSAGE_ERROR, "bad WebTransport CONNECT: " + why);
    }

    /** The request URL, {@code https://authority/path}. */
    public String url() {
        return scheme + "://" + authority + path;
    }

    /**
     * The first protocol the client offered that the server supports: the client's order wins.
     * Empty means no {@code wt-protocol} in the response.
     */
    public Optional<String> selectProtocol(Collection<String> supported) {
        return availableProtocols.stream().filter(supported::contains).findFirst();
    }

    /**
     * The response fields the Rust relay sends: {@code :status}, {@code
     * sec-webtransport-http3-draft: draft02} and, if {@code protocol} is not null,
     * {@code wt-protocol} as an sf-String (Chromium ignores a bare Token there).
     */
    public static List<HeaderField> responseFields(int status, String protocol) {
        List<HeaderField> fields = new ArrayList<>(3);
        fields.add(new HeaderField(":status", Integer.toString(status)));
        fields.add(new HeaderField("sec-webtransport-http3-draft", "draft02"));
        if (protocol != null) {
            fields.add(new HeaderField(WT_PROTOCOL, StructuredFields.serializeString(protocol)));
        }
        return fields;
    }
}
