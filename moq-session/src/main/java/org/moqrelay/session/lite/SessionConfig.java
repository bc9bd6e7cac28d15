package org.moqrelay.session.lite;

import org.moqrelay.model.Origin;

/**
 * How a session is wired: which side it is, its hop id, the origin it serves to the peer and the
 * origin the peer's broadcasts land in.
 *
 * @param server            true on the relay side (reads the SETUP Path on URL-less transports)
 * @param localOrigin       this endpoint's hop id, non-zero and below 2^53
 * @param serve             broadcasts offered to the peer; null to offer none
 * @param ingest            where the peer's announced broadcasts are published; null to accept none
 * @param requestAnnounces  open an ANNOUNCE_REQUEST for everything the peer publishes at start
 * @param setupPath         client only: the SETUP Path parameter (path and query) on URL-less transports
 * @param authorizer        server only: turns the request path into a root and permissions
 * @param metrics           traffic hooks, by the tier the grant names; null counts nothing
 * @param keepAliveMillis   how often a quiet lite-05 session sends its keep-alive datagram; below the QUIC idle timeout
 */
public record SessionConfig(boolean server, long localOrigin, Origin serve, Origin ingest,
                            boolean requestAnnounces, String setupPath, Authorizer authorizer, TieredMetrics metrics,
                            long keepAliveMillis) {
    /** The keep-alive period for the default QUIC idle timeout of 30 s: two keep-alives may be lost. */
    public static final long DEFAULT_KEEP_ALIVE_MILLIS = 10_000;

    /** A config that counts nothing, with the default keep-alive period. */
    public SessionConfig(boolean server, long localOrigin, Origin serve, Origin ingest,
                         boolean requestAnnounces, String setupPath, Authorizer authorizer) {
        this(server, localOrigin, serve, ingest, requestAnnounces, setupPath, authorizer, TieredMetrics.NOOP,
                DEFAULT_KEEP_ALIVE_MILLIS);
    }

    /**
     * A keep-alive period that fits an idle timeout: {@code periodMillis}, or a third of
     * {@code idleTimeoutMillis} when that is shorter (two keep-alives may be lost), at least 1 ms.
     * An idle timeout of 0 or less means none is known and leaves the period.
     */
    public static long keepAliveWithin(long periodMillis, long idleTimeoutMillis) {
        return idleTimeoutMillis <= 0 ? periodMillis : Math.max(1, Math.min(periodMillis, idleTimeoutMillis / 3));
    }

    public SessionConfig {
        if (localOrigin <= 0 || localOrigin >= (1L << 53)) {
            throw new IllegalArgumentException("localOrigin: " + localOrigin + " (expected: 0 < id < 2^53)");
        }
        if (keepAliveMillis <= 0) throw new IllegalArgumentException("keepAliveMillis: " + keepAliveMillis + " (expected: > 0)");
        if (authorizer == null) authorizer = Authorizer.ALLOW_ALL;
        if (metrics == null) metrics = TieredMetrics.NOOP;
    }
}
