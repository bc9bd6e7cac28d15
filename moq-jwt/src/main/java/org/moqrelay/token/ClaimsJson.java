package org.moqrelay.token;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads {@link Claims} from payload JSON with the reference's serde rules. */
final class ClaimsJson {
    private ClaimsJson() {
    }

    static Claims parse(String text, boolean legacyNames) {
        Map<String, Object> json = Json.parseObject(text);
        if (json == null) throw invalid("token payload is not a JSON object");

        String root = "";
        if (json.containsKey("root")) {
            if (!(json.get("root") instanceof String s)) throw invalid("claim `root` must be a string");
            root = s;
        }
        List<String> put = grants(json, "put");
        List<String> get = grants(json, "get");
        boolean cluster = false;
        if (legacyNames) {
            if (put == null) put = single(json, "pub");
            if (get == null) get = single(json, "sub");
            if (json.containsKey("cluster")) {
                if (!(json.get("cluster") instanceof Boolean b)) throw invalid("claim `cluster` must be a boolean");
                cluster = b;
            }
        }
        return new Claims(root, put, get, time(json, "exp"), time(json, "iat"), cluster);
    }

    /** {@code put}/{@code get}: one string or an array of strings; null when absent. */
    private static List<String> grants(Map<String, Object> json, String name) {
        if (!json.containsKey(name)) return null;
        Object v = json.get(name);
        if (v instanceof String s) return List.of(s);
        List<String> list = Json.stringArray(v);
        if (list == null) throw invalid("claim `" + name + "` must be a string or an array of strings");
        return list;
    }

    /** The 2025 {@code pub}/{@code sub}: one optional path string. */
    private static List<String> single(Map<String, Object> json, String name) {
        Object v = json.get(name);
        if (v == null) return null;
        if (v instanceof String s) return List.of(s);
        throw invalid("claim `" + name + "` must be a string");
    }

    /** Whole unix seconds (serde_with {@code TimestampSeconds<i64>}): an integer, or null / absent. */
    private static Instant time(Map<String, Object> json, String name) {
        Object v = json.get(name);
        if (v == null) return null;
        if (!(v instanceof Long seconds)) throw invalid("claim `" + name + "` must be an integer number of seconds");
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (DateTimeException e) {
            throw invalid("claim `" + name + "` is out of range");
        }
    }

    private static TokenException invalid(String message) {
        return new TokenException(TokenException.Reason.INVALID_CLAIMS, message);
    }
}
