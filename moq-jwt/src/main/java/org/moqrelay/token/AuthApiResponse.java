package org.moqrelay.token;

import java.util.List;
import java.util.Map;

/**
 * One answer of the auth API (moq {@code AuthApiResponse} in {@code rs/moq-relay/src/auth.rs}). Every member
 * is optional, and unknown members are ignored:
 *
 * <pre>{"alias": "x7k2qp/room", "public": {"subscribe": ["cam"], "publish": []}, "key": {JWK}, "tier": "region/sjc"}</pre>
 *
 * @param alias            the canonical root for the connection, or null to keep the path it dialed
 * @param publicSubscribe  prefixes open to anonymous subscribers, relative to the path; empty for none
 * @param publicPublish    prefixes open to anonymous publishers, relative to the path; empty for none
 * @param key              the key that verifies the token's {@code kid}, or null when the API has none
 * @param tier             the stats tier for the connection ({@code ""} = the default tier), or null when the
 *                         API chose none
 */
record AuthApiResponse(String alias, List<String> publicSubscribe, List<String> publicPublish, Key key, String tier) {
    AuthApiResponse {
        publicSubscribe = List.copyOf(publicSubscribe);
        publicPublish = List.copyOf(publicPublish);
    }

    /** Parses an answer; {@link TokenException.Reason#AUTH_API_UNAVAILABLE} when it is not one. */
    static AuthApiResponse parse(String body) {
        Map<String, Object> json = Json.parseObject(body);
        if (json == null) throw invalid("not a JSON object");
        try {
            String alias = Json.string(json, "alias", "member");
            String tier = Json.string(json, "tier", "member");
            List<String> subscribe = List.of();
            List<String> publish = List.of();
            Object pub = json.get("public");
            if (pub != null) {
                if (!(pub instanceof Map<?, ?> access)) throw new IllegalArgumentException("`public` must be an object");
                subscribe = strings(access, "subscribe");
                publish = strings(access, "publish");
            }
            Key key = null;
            Object jwk = json.get("key");
            if (jwk != null) {
                if (!(jwk instanceof Map<?, ?>)) throw new IllegalArgumentException("`key` must be a JWK object");
                @SuppressWarnings("unchecked")
                Map<String, Object> members = (Map<String, Object>) jwk;
                key = Key.of(JwkJson.parse(members));
            }
            return new AuthApiResponse(alias, subscribe, publish, key, tier);
        } catch (IllegalArgumentException | TokenException e) {
            throw invalid(e.getMessage());
        }
    }

    private static List<String> strings(Map<?, ?> access, String name) {
        if (!access.containsKey(name)) return List.of();
        List<String> out = Json.stringArray(access.get(name));
        if (out == null) throw new IllegalArgumentException("`public." + name + "` must be an array of strings");
        return out;
    }

    private static TokenException invalid(String detail) {
        return new TokenException(TokenException.Reason.AUTH_API_UNAVAILABLE, "auth API answer is invalid: " + detail);
    }
}
