package org.moqrelay.token;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A compact JWS split and decoded, signature not yet checked (RFC 7515 section 7.1). Parsing is strict:
 * exactly three parts, canonical unpadded base64url, a UTF-8 JSON object header naming a known algorithm,
 * no {@code crit}. Errors name the part that failed, never its content.
 */
record CompactJws(Algorithm algorithm, String kid, byte[] signingInput, byte[] payload, byte[] signature) {
    static CompactJws parse(String token, int maxLength) {
        if (token == null || token.isEmpty()) throw malformed("empty token");
        if (token.length() > maxLength) {
            throw new TokenException(TokenException.Reason.TOKEN_TOO_LARGE, "token is longer than " + maxLength + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw malformed("token is not a compact JWS (expected three dot-separated parts)");
        }
        byte[] headerBytes = Base64Url.decodeStrict(token.substring(0, first));
        if (headerBytes == null) throw malformed("token header is not valid base64url");
        byte[] payload = Base64Url.decodeStrict(token.substring(first + 1, second));
        if (payload == null) throw malformed("token payload is not valid base64url");
        byte[] signature = Base64Url.decodeStrict(token.substring(second + 1));
        if (signature == null) throw malformed("token signature is not valid base64url");

        Map<String, Object> header = Json.parseObject(utf8(headerBytes, "token header"));
        if (header == null) throw malformed("token header is not a JSON object");
        Object alg = header.get("alg");
        if (!(alg instanceof String name)) throw malformed("token header has no algorithm");
        if (name.equalsIgnoreCase("none")) {
            throw new TokenException(TokenException.Reason.UNSUPPORTED_ALGORITHM, "unsigned tokens (alg none) are not accepted");
        }
        Algorithm algorithm = null;
        for (Algorithm a : Algorithm.values()) {
            if (a.name().equals(name)) algorithm = a;
        }
        if (algorithm == null) {
            throw new TokenException(TokenException.Reason.UNSUPPORTED_ALGORITHM, "unsupported token algorithm " + Algorithm.printable(name));
        }
        if (header.containsKey("crit")) {
            throw new TokenException(TokenException.Reason.UNSUPPORTED_HEADER, "token header has critical parameters, none of which are supported");
        }
        Object kid = header.get("kid");
        if (kid != null && !(kid instanceof String)) throw malformed("token header kid is not a string");

        byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(algorithm, (String) kid, signingInput, payload, signature);
    }

    /** The payload as UTF-8 text. */
    String payloadText() {
        try {
            return utf8(payload, "token payload");
        } catch (TokenException e) {
            throw new TokenException(TokenException.Reason.INVALID_CLAIMS, e.getMessage());
        }
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not UTF-8");
        }
    }

    private static TokenException malformed(String message) {
        return new TokenException(TokenException.Reason.MALFORMED_TOKEN, message);
    }
}
