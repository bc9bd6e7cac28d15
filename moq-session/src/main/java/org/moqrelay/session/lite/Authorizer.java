package org.moqrelay.session.lite;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import org.moqrelay.wire.Path;

/** Decides what a session may do from its request path and query (auth plugs in here). */
@FunctionalInterface
public interface Authorizer {
    /** Everything allowed, rooted at the request path. */
    Authorizer ALLOW_ALL = pathAndQuery -> CompletableFuture.completedFuture(Grant.all(Path.of(stripQuery(pathAndQuery))));

    /**
     * Decides asynchronously (keys may have to be fetched), never blocking the caller's thread.
     *
     * @param pathAndQuery the URL path and query, or the SETUP Path; "" when the client sent none
     * @return the grant, or a future failed with {@link SessionRefusedException} when refused
     */
    CompletableFuture<Grant> authorize(String pathAndQuery);

    /**
     * The session's root and what it may do below it: prefixes (relative to the root, matched on
     * segment boundaries) it may publish and subscribe under, and when its credentials expire.
     *
     * @param expires null when the grant never expires
     */
    record Grant(Path root, List<Path> publish, List<Path> subscribe, Instant expires) {
        public Grant {
            publish = List.copyOf(publish);
            subscribe = List.copyOf(subscribe);
        }

        /** Full access below {@code root}, forever. */
        public static Grant all(Path root) {
            return new Grant(root, List.of(Path.ROOT), List.of(Path.ROOT), null);
        }

        public boolean canPublish() {
            return !publish.isEmpty();
        }

        public boolean canSubscribe() {
            return !subscribe.isEmpty();
        }

        /** May the session publish at {@code path} (relative to the root)? */
        public boolean mayPublish(Path path) {
            return covered(publish, path);
        }

        /** May the session subscribe to {@code path} (relative to the root)? */
        public boolean maySubscribe(Path path) {
            return covered(subscribe, path);
        }

        private static boolean covered(List<Path> prefixes, Path path) {
            for (Path p : prefixes) {
                if (path.hasPrefix(p)) return true;
            }
            return false;
        }

        /** Only the publish half (a lite-05 Role of Publisher). */
        public Grant publishOnly() {
            return new Grant(root, publish, List.of(), expires);
        }

        /** Only the subscribe half (a lite-05 Role of Subscriber). */
        public Grant subscribeOnly() {
            return new Grant(root, List.of(), subscribe, expires);
        }
    }

    static String stripQuery(String pathAndQuery) {
        if (pathAndQuery == null) return "";
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
