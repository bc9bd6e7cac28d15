package org.moqrelay.token.cli;

import java.time.Instant;
import java.util.List;
import org.moqrelay.token.Claims;

/**
 * Claims printed as the reference's {@code verify} prints them: Rust's pretty {@code Debug} of its
 * {@code Claims} struct, {@code SystemTime} as on Unix. Scripts that read the old output keep working.
 */
final class ClaimsDebug {
    private ClaimsDebug() {
    }

    static String format(Claims c) {
        StringBuilder b = new StringBuilder("Claims {\n");
        b.append("    root: ").append(quote(c.root())).append(",\n");
        list(b, "publish", c.put());
        list(b, "subscribe", c.get());
        time(b, "expires", c.exp());
        time(b, "issued", c.iat());
        return b.append('}').toString();
    }

    private static void list(StringBuilder b, String name, List<String> values) {
        if (values.isEmpty()) {
            b.append("    ").append(name).append(": [],\n");
            return;
        }
        b.append("    ").append(name).append(": [\n");
        for (String v : values) b.append("        ").append(quote(v)).append(",\n");
        b.append("    ],\n");
    }

    private static void time(StringBuilder b, String name, Instant t) {
        if (t == null) {
            b.append("    ").append(name).append(": None,\n");
            return;
        }
        b.append("    ").append(name).append(": Some(\n")
                .append("        SystemTime {\n")
                .append("            tv_sec: ").append(t.getEpochSecond()).append(",\n")
                .append("            tv_nsec: ").append(t.getNano()).append(",\n")
                .append("        },\n")
                .append("    ),\n");
    }

    /** Rust's {@code str} Debug: quotes, backslash escapes, {@code \\u{..}} for other control characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0 -> b.append("\\0");
                default -> {
                    if (Character.isISOControl(cp)) {
                        b.append("\\u{").append(Integer.toHexString(cp)).append('}');
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('"').toString();
    }
}
