package org.moqrelay.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out. Reading goes through Nimbus (strict: no trailing data, no duplicate members);
 * writing is done here so the bytes match the reference's serde output member for member.
 */
final class Json {
    private Json() {
    }

    /** Parses a JSON object; null when the text is not one. */
    static Map<String, Object> parseObject(String text) {
        // Nimbus reads "[]" as an empty object and "null" as null; neither is one here.
        if (!text.strip().startsWith("{")) return null;
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** A string member, null when absent or null; {@link IllegalArgumentException} naming the member when it has another type. */
    static String string(Map<String, Object> json, String name, String what) {
        Object v = json.get(name);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException(what + " `" + name + "` must be a string");
    }

    /** A JSON array of strings, or null when {@code value} is not one. */
    static List<String> stringArray(Object value) {
        if (!(value instanceof List<?> list)) return null;
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) return null;
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /** Compact JSON object writer, members in the order they are added. */
    static final class Writer {
        private final StringBuilder out = new StringBuilder("{");

        Writer string(String name, String value) {
            name(name);
            quote(out, value);
            return this;
        }

        Writer strings(String name, List<String> values) {
            name(name);
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) out.append(',');
                quote(out, values.get(i));
            }
            out.append(']');
            return this;
        }

        Writer number(String name, long value) {
            name(name);
            out.append(value);
            return this;
        }

        Writer bool(String name, boolean value) {
            name(name);
            out.append(value);
            return this;
        }

        /** Embeds an already-encoded JSON value. */
        Writer raw(String name, String json) {
            name(name);
            out.append(json);
            return this;
        }

        private void name(String name) {
            if (out.length() > 1) out.append(',');
            quote(out, name);
            out.append(':');
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }

    /** Escapes like serde_json: quote, backslash and the C0 controls, nothing else. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
