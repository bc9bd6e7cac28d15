package org.moqrelay.session.lite;

import org.moqrelay.wire.Path;

/** Decides what a session may do from its request path and query (auth plugs in here). */
@FunctionalInterface
public interface Authorizer {
    /** Everything allowed, rooted at the request path. */
    Authorizer ALLOW_ALL = pathAndQuery -> new Grant(Path.of(stripQuery(pathAndQuery)), true, true);

    /**
     * @param pathAndQuery the URL path and query, or the SETUP Path; "" when the client sent none
     * @throws SessionRefusedException when the session must be refused
     */
    Grant authorize(String pathAndQuery);

    /** The session's root and roles. */
    record Grant(Path root, boolean publish, boolean subscribe) {}

    static String stripQuery(String pathAndQuery) {
        if (pathAndQuery == null) return "";
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
