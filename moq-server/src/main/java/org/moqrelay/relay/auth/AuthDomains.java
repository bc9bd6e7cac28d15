package org.moqrelay.relay.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Subdomain routing ({@code --auth-domain}, relay.md §5.7; moq {@code match_domain} in
 * {@code rs/moq-relay/src/auth.rs}): when the host a client addressed is {@code <labels>.<suffix>} for a
 * configured suffix, the labels, reversed so that the broadest comes first, are put in front of the URL
 * path before authorization. With suffix {@code cdn.example}, {@code team.customer.cdn.example/foo} is
 * authorized as {@code /customer/team/foo}. A host equal to a suffix, or under none, keeps its path.
 * Overlapping suffixes are tried longest first, whatever their configured order. Immutable.
 */
public final class AuthDomains {
    /** No suffixes: every path stays as it is. */
    public static final AuthDomains NONE = new AuthDomains(List.of());

    /** Lower case, each with a leading dot, longest first. */
    private final List<String> suffixes;

    private AuthDomains(List<String> suffixes) {
        this.suffixes = suffixes;
    }

    /**
     * The suffixes as configured ({@code cdn.example}, a leading dot allowed, any case);
     * {@link IllegalArgumentException} for an empty one.
     */
    public static AuthDomains of(List<String> domains) {
        if (domains == null || domains.isEmpty()) return NONE;
        List<String> out = new ArrayList<>(domains.size());
        for (String d : domains) {
            String s = d.strip();
            while (s.startsWith(".")) s = s.substring(1);
            if (s.isEmpty()) throw new IllegalArgumentException("auth-domain suffix must not be empty (got '" + d + "')");
            out.add("." + s.toLowerCase(Locale.ROOT));
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return new AuthDomains(List.copyOf(out));
    }

    /**
     * {@code path} as authorization sees it for a client that addressed {@code host} (null on URL-less
     * transports): the slug of the host in front, or {@code path} unchanged.
     */
    public String route(String host, String path) {
        String slug = slug(host);
        if (slug == null) return path;
        return "/" + slug + (path.startsWith("/") ? path : "/" + path);
    }

    /** The host's labels below the longest matching suffix, broadest first and joined with {@code /}; null when none. */
    String slug(String host) {
        if (host == null || suffixes.isEmpty()) return null;
        String h = "." + host.toLowerCase(Locale.ROOT);
        for (String suffix : suffixes) {
            if (!h.endsWith(suffix)) continue;
            String labels = h.substring(0, h.length() - suffix.length());
            if (labels.isEmpty()) return null;
            int from = 0;
            while (from < labels.length() && labels.charAt(from) == '.') from++;
            List<String> parts = new ArrayList<>(List.of(labels.substring(from).split("\\.", -1)));
            Collections.reverse(parts);
            return String.join("/", parts);
        }
        return null;
    }
}
