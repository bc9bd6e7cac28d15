package org.moqrelay.relay.web;

import java.util.Objects;

/**
 * A path, or a path prefix, and the handler that answers it.
 *
 * @param path    the path, starting with {@code /}
 * @param prefix  whether {@code path} also matches everything below it
 * @param handler the handler for matching requests
 */
public record WebRoute(String path, boolean prefix, WebHandler handler) {

    public WebRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: starts with /)");
        }
    }

    /** A route for exactly {@code path}. */
    public static WebRoute exact(String path, WebHandler handler) {
        return new WebRoute(path, false, handler);
    }

    /**
     * A route for {@code path} and every path below it: {@code /announced} matches
     * {@code /announced} and {@code /announced/a/b} but not {@code /announcedx}.
     */
    public static WebRoute prefix(String path, WebHandler handler) {
        return new WebRoute(path, true, handler);
    }

    /** Whether this route answers the (decoded, query-less) request path. */
    public boolean matches(String requestPath) {
        if (!prefix) {
            return path.equals(requestPath);
        }
        return requestPath.startsWith(path)
                && (path.endsWith("/") || requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/');
    }
}
