package org.moqrelay.session.lite;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.wire.Path;

/** Decides what a session may do from its request (auth plugs in here). */
@FunctionalInterface
public interface Authorizer {
    /** Everything allowed, rooted at the request path. */
    Authorizer ALLOW_ALL = request -> CompletableFuture.completedFuture(Grant.all(Path.of(stripQuery(request.pathAndQuery()))));

    /**
     * Decides asynchronously (keys may have to be fetched), never blocking the caller's thread.
     *
     * @return the grant, or a future failed with {@link SessionRefusedException} when refused
     */
    CompletableFuture<Grant> authorize(Request request);

    /** Always {@code grant}: for a session whose request was decided before it started. */
    static Authorizer granting(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return request -> CompletableFuture.completedFuture(grant);
    }

    /**
     * What a client asked with.
     *
     * @param pathAndQuery    the URL path and query, or the SETUP Path; "" when the client sent none
     * @param host            the host name the client addressed (WebTransport {@code :authority}, WebSocket
     *                        {@code Host}), lower case and without the port; null on URL-less transports
     * @param transport       {@code quic}, {@code websocket}, {@code tcp} or {@code unix}, as the reference names them; null when unknown
     * @param peerCertificate the client certificate the TLS handshake verified (mTLS), or null
     */
    record Request(String pathAndQuery, String host, String transport, X509Certificate peerCertificate) {
        public Request {
            if (pathAndQuery == null) pathAndQuery = "";
        }

        /** A request known only by its path and query: no host, transport or certificate (for tests). */
        public static Request of(String pathAndQuery) {
            return new Request(pathAndQuery, null, null, null);
        }
    }

    /**
     * The session's root and what it may do below it: prefixes (relative to the root, matched on
     * segment boundaries) it may publish and subscribe under, when its credentials expire, and the
     * stats tier its traffic is counted under.
     *
     * @param expires null when the grant never expires
     * @param tier    the metrics tier label, {@code ""} for the default tier
     */
    record Grant(Path root, List<Path> publish, List<Path> subscribe, Instant expires, String tier) {
        public Grant {
            publish = List.copyOf(publish);
            subscribe = List.copyOf(subscribe);
            if (tier == null) tier = "";
        }

        /** A grant in the default tier. */
        public Grant(Path root, List<Path> publish, List<Path> subscribe, Instant expires) {
            this(root, publish, subscribe, expires, "");
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
            return new Grant(root, publish, List.of(), expires, tier);
        }

        /** Only the subscribe half (a lite-05 Role of Subscriber). */
        public Grant subscribeOnly() {
            return new Grant(root, List.of(), subscribe, expires, tier);
        }
    }

    static String stripQuery(String pathAndQuery) {
        if (pathAndQuery == null) return "";
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
