package org.moqrelay.token;

import java.util.List;
import java.util.Objects;

/**
 * The fixed ceiling on what a key may grant, carried in its JWK as {@code scope} (moq
 * {@code rs/moq-token/src/claims.rs} {@code Scope}). A scoped key refuses to sign or verify claims whose
 * grants are not each inside a scope prefix of the same role; nothing is silently narrowed.
 *
 * @param root base path of both lists ({@code ""} when absent)
 * @param put  prefixes the key may grant publishers, relative to {@code root}
 * @param get  prefixes the key may grant subscribers, relative to {@code root}
 */
public record Scope(String root, List<String> put, List<String> get) {
    public Scope {
        root = root == null ? "" : root;
        put = put == null ? List.of() : List.copyOf(put);
        get = get == null ? List.of() : List.copyOf(get);
    }

    /** Throws {@link TokenException.Reason#USELESS_SCOPE} when the scope permits nothing. */
    public void validate() {
        if (put.isEmpty() && get.isEmpty()) {
            throw new TokenException(TokenException.Reason.USELESS_SCOPE, "no publish or subscribe allowed; key scope is useless");
        }
    }

    /**
     * Whether every grant in {@code claims} sits at or below a scope prefix of the same role, each side
     * resolved against its own root first (so {@code root:"demo", put:["room"]} and {@code put:["demo/room"]}
     * compare the same). Matching is segment-aware; an empty scope list denies that role entirely.
     */
    public boolean allows(Claims claims) {
        Objects.requireNonNull(claims, "claims");
        return covers(root, put, claims.root(), claims.put()) && covers(root, get, claims.root(), claims.get());
    }

    private static boolean covers(String scopeRoot, List<String> granted, String claimsRoot, List<String> requested) {
        for (String request : requested) {
            String path = absolute(claimsRoot, request);
            boolean inside = false;
            for (String grant : granted) {
                if (TokenPaths.hasPrefix(path, absolute(scopeRoot, grant))) {
                    inside = true;
                    break;
                }
            }
            if (!inside) return false;
        }
        return true;
    }

    private static String absolute(String root, String relative) {
        return TokenPaths.join(TokenPaths.normalize(root), TokenPaths.normalize(relative));
    }

    String toJson() {
        Json.Writer w = new Json.Writer();
        if (!root.isEmpty()) w.string("root", root);
        if (!put.isEmpty()) w.strings("put", put);
        if (!get.isEmpty()) w.strings("get", get);
        return w.toString();
    }
}
