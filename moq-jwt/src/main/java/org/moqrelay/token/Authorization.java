package org.moqrelay.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps verified claims (or public prefixes) onto a connection path: relay.md sections 5.4 and 5.5, moq
 * {@code Claims::authorize} and the relay's {@code Auth::verify} / {@code finalize}. Pure functions.
 *
 * <p>Paths are normalised (slashes at the ends and doubled slashes do not count) and matched on segment
 * boundaries, so {@code foo} covers {@code foo/bar} but not {@code foobar}.
 */
public final class Authorization {
    private Authorization() {
    }

    /**
     * The permissions {@code claims} give a session at {@code connectionPath}.
     *
     * <ul>
     *   <li>Path extends the root (root {@code demo}, path {@code demo/room}): each grant under {@code room}
     *       loses that prefix, a grant containing {@code room} becomes {@code ""}, any other is dropped.</li>
     *   <li>Path is a parent of the root (root {@code demo}, path {@code ""}): each grant gains the prefix
     *       {@code demo/}.</li>
     *   <li>Otherwise {@link TokenException.Reason#ROOT_MISMATCH}.</li>
     * </ul>
     * When both roles end up empty, {@link TokenException.Reason#NO_ACCESS}; losing one role is fine.
     * Signature, expiry and scope are {@link TokenVerifier}'s business, not this method's.
     */
    public static Permissions authorize(String connectionPath, Claims claims) {
        Objects.requireNonNull(claims, "claims");
        String path = TokenPaths.normalize(Objects.requireNonNull(connectionPath, "connectionPath"));
        String root = TokenPaths.normalize(claims.root());

        // Exactly one of these is non-empty: how far the path reaches past the root, or the root past the path.
        String suffix;
        String prefix;
        String beyondRoot = TokenPaths.stripPrefix(path, root);
        String beyondPath = TokenPaths.stripPrefix(root, path);
        if (beyondRoot != null) {
            suffix = beyondRoot;
            prefix = "";
        } else if (beyondPath != null) {
            suffix = "";
            prefix = beyondPath;
        } else {
            throw new TokenException(TokenException.Reason.ROOT_MISMATCH, "path `" + path + "` does not overlap the token root");
        }

        List<String> publish = rebase(claims.put(), prefix, suffix);
        List<String> subscribe = rebase(claims.get(), prefix, suffix);
        if (publish.isEmpty() && subscribe.isEmpty()) {
            throw new TokenException(TokenException.Reason.NO_ACCESS, "token grants no access to path `" + path + "`");
        }
        return new Permissions(path, publish, subscribe, claims.exp());
    }

    /**
     * {@link #authorize(String, Claims)} at {@code connectionPath}, with the result anchored at {@code routeRoot}
     * instead: the auth API's {@code alias}, the canonical name of the path the client dialed (moq
     * {@code Auth::finalize}). The token root is checked against the path the client dialed; the grants, relative
     * to it, carry over unchanged, which is why both must have the same number of segments
     * ({@link TokenException.Reason#ROOT_MISMATCH} otherwise).
     */
    public static Permissions authorize(String connectionPath, String routeRoot, Claims claims) {
        String route = TokenPaths.normalize(Objects.requireNonNull(routeRoot, "routeRoot"));
        String path = TokenPaths.normalize(Objects.requireNonNull(connectionPath, "connectionPath"));
        if (depth(path) != depth(route)) {
            throw new TokenException(TokenException.Reason.ROOT_MISMATCH,
                    "alias `" + route + "` does not have as many segments as the path `" + path + "`");
        }
        Permissions p = authorize(path, claims);
        return new Permissions(route, p.publish(), p.subscribe(), p.expires());
    }

    private static int depth(String normalized) {
        return normalized.isEmpty() ? 0 : normalized.split("/", -1).length;
    }

    /**
     * The claims public access gives an anonymous session at {@code connectionPath}, or empty when no public
     * prefix overlaps the path (path under a prefix, or a prefix under the path). When present they are
     * {@code {root: "", get: subscribe, put: publish}}, to be passed to {@link #authorize}.
     */
    public static Optional<Claims> publicClaims(String connectionPath, List<String> subscribe, List<String> publish) {
        String path = TokenPaths.normalize(Objects.requireNonNull(connectionPath, "connectionPath"));
        List<String> sub = normalizeAll(subscribe);
        List<String> pub = normalizeAll(publish);
        boolean overlaps = false;
        for (String p : concat(sub, pub)) {
            if (TokenPaths.hasPrefix(path, p) || TokenPaths.hasPrefix(p, path)) {
                overlaps = true;
                break;
            }
        }
        return overlaps ? Optional.of(Claims.of("", pub, sub)) : Optional.empty();
    }

    /**
     * Public access for a connection that presented no token: {@link #publicClaims} then {@link #authorize}.
     * {@link TokenException.Reason#EXPECTED_TOKEN} when no public prefix overlaps the path (a caller with a
     * public-access API asks it at that point instead).
     */
    public static Permissions authorizePublic(String connectionPath, List<String> subscribe, List<String> publish) {
        Claims claims = publicClaims(connectionPath, subscribe, publish).orElseThrow(
                () -> new TokenException(TokenException.Reason.EXPECTED_TOKEN, "a token was expected"));
        return authorize(connectionPath, claims);
    }

    private static List<String> rebase(List<String> grants, String prefix, String suffix) {
        List<String> out = new ArrayList<>(grants.size());
        for (String g : grants) {
            String granted = TokenPaths.join(prefix, TokenPaths.normalize(g));
            String remaining = TokenPaths.stripPrefix(granted, suffix);
            if (remaining != null) {
                out.add(remaining); // the grant covers the path; keep what is left below it
            } else if (TokenPaths.hasPrefix(suffix, granted)) {
                out.add(""); // the grant stops above the path, so all of the path is granted
            }
        }
        return out;
    }

    private static List<String> normalizeAll(List<String> prefixes) {
        if (prefixes == null) return List.of();
        return prefixes.stream().map(TokenPaths::normalize).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
