package org.moqrelay.it.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.moqrelay.token.Claims;

/** Hand-made compact JWTs a relay must refuse: unsigned ({@code alg: none}) and tampered ones. */
public final class Jwts {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Jwts() {}

    /** {@code {"typ":"JWT","alg":"none"}} + {@code claims} + an empty signature (RFC 7519 unsecured JWT). */
    public static String unsigned(Claims claims) {
        return b64("{\"typ\":\"JWT\",\"alg\":\"none\"}") + "." + b64(claims.toJson()) + ".";
    }

    /** {@code token} with its payload replaced by {@code claims}, keeping the original header and signature. */
    public static String withPayload(String token, Claims claims) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new IllegalArgumentException("not a compact JWS: " + token);
        return parts[0] + "." + b64(claims.toJson()) + "." + parts[2];
    }

    /** The decoded payload JSON of {@code token}. */
    public static String payload(String token) {
        return new String(B64D.decode(token.split("\\.", -1)[1]), StandardCharsets.UTF_8);
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
