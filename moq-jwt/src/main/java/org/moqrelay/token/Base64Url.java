package org.moqrelay.token;

import java.util.Base64;

/** base64url (RFC 4648 section 5) as tokens and JWKs use it. */
final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes unpadded base64url in its canonical form only (the alphabet, no padding, zero trailing
     * bits), as the reference's {@code URL_SAFE_NO_PAD} engine does for tokens. Returns null otherwise.
     */
    static byte[] decodeStrict(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return null;
        }
        if (s.length() % 4 == 1) return null;
        byte[] out;
        try {
            out = DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Non-zero bits after the last whole byte would give a second spelling of the same bytes.
        return ENCODER.encodeToString(out).equals(s) ? out : null;
    }

    /**
     * Decodes base64url with or without padding, as the reference accepts for JWK members and key
     * files (unpadded first, padded for keys written by older tools). Returns null when neither fits.
     */
    static byte[] decodeLenient(String s) {
        String body = s;
        if (body.endsWith("==")) {
            body = body.substring(0, body.length() - 2);
            if (body.length() % 4 != 2) return null;
        } else if (body.endsWith("=")) {
            body = body.substring(0, body.length() - 1);
            if (body.length() % 4 != 3) return null;
        }
        return decodeStrict(body);
    }
}
