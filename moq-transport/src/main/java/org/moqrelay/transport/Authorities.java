package org.moqrelay.transport;

import java.util.Locale;

/** The host part of an HTTP authority ({@code :authority}, {@code Host}), as URL parsers read it. */
public final class Authorities {
    private Authorities() {
    }

    /**
     * {@code authority} without user info and port, in lower case: {@code Team.CDN.example:443} is
     * {@code team.cdn.example}, {@code [::1]:4443} is {@code [::1]}; null when there is no host.
     */
    public static String host(String authority) {
        if (authority == null) return null;
        String a = authority.strip();
        int at = a.lastIndexOf('@');
        if (at >= 0) a = a.substring(at + 1);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            a = close < 0 ? a : a.substring(0, close + 1);
        } else {
            int colon = a.indexOf(':');
            if (colon >= 0) a = a.substring(0, colon);
        }
        return a.isEmpty() ? null : a.toLowerCase(Locale.ROOT);
    }
}
