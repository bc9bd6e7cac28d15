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
 */
public record SessionConfig(boolean server, long localOrigin, Origin serve, Origin ingest,
                            boolean requestAnnounces, String setupPath, Authorizer authorizer, TieredMetrics metrics) {
    /** A config that counts nothing. */
    public SessionConfig(boolean server, long localOrigin, Origin serve, Origin ingest,
                         boolean requestAnnounces, String setupPath, Authorizer authorizer) {
        this(server, localOrigin, serve, ingest, requestAnnounces, setupPath, authorizer, TieredMetrics.NOOP);
    }

    public SessionConfig {
        if (localOrigin <= 0 || localOrigin >= (1L << 53)) {
            throw new IllegalArgumentException("localOrigin: " + localOrigin + " (expected: 0 < id < 2^53)");
        }
        if (authorizer == null) authorizer = Authorizer.ALLOW_ALL;
        if (metrics == null) metrics = TieredMetrics.NOOP;
    }
}
