package org.moqrelay.relay.auth;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.SessionRefusedException;
import org.moqrelay.token.AuthApi;
import org.moqrelay.token.Authorization;
import org.moqrelay.token.KeyResolver;
import org.moqrelay.token.Permissions;
import org.moqrelay.token.TokenException;
import org.moqrelay.wire.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's authorization (relay.md §5; moq {@code rs/moq-relay/src/auth.rs}, {@code connection.rs}). The
 * path is the URL path, with the subdomain labels of the host in front when {@link AuthDomains} match. Then:
 *
 * <ul>
 *   <li>a client certificate verified by the TLS handshake gets everything within the path until it
 *       expires, in the mTLS tier; with an auth API, within the API's alias and in its tier;</li>
 *   <li>with an auth API ({@link AuthApi}) everything else is the API's answer: its key verifies the
 *       {@code ?jwt=} token, or its public prefixes admit anonymous clients;</li>
 *   <li>otherwise a JWT verified with the configured key (file, directory or URL, resolved off the event
 *       loop) and scoped to the path; without a token, the public prefixes.</li>
 * </ul>
 *
 * Refusals carry the reference's HTTP-style status: 502 when a key or the auth API cannot be fetched,
 * 401 otherwise. Tokens and keys never reach the log. Thread-safe.
 */
public final class RelayAuthorizer implements Authorizer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayAuthorizer.class);

    private final KeyResolver keys;
    private final List<String> publicSubscribe;
    private final List<String> publicPublish;
    private final AuthApi api;
    private final AuthDomains domains;
    private final String mtlsTier;

    private RelayAuthorizer(Builder b) {
        this.keys = b.keys;
        this.publicSubscribe = b.publicSubscribe;
        this.publicPublish = b.publicPublish;
        this.api = b.api;
        this.domains = b.domains;
        this.mtlsTier = b.mtlsTier;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Grant> authorize(Request request) {
        QueryStringDecoder q = new QueryStringDecoder(request.pathAndQuery().isEmpty() ? "/" : request.pathAndQuery());
        String path;
        String token;
        try {
            path = domains.route(request.host(), q.path());
            token = lastNonEmpty(q.parameters().get("jwt"));
        } catch (IllegalArgumentException e) {
            // A bad % escape. Netty's message quotes the whole URI, token included: not passed on.
            return CompletableFuture.failedFuture(SessionRefusedException.withStatus(400, "malformed percent-encoding in the request path"));
        }
        if (request.peerCertificate() != null) return peer(path, request.peerCertificate(), request.transport());
        if (api != null) {
            return api.verify(path, token, request.transport()).handle((access, err) -> {
                if (err != null) throw refusal(err);
                return grant(access.permissions(), tier(access.tier(), "")); // the API's tier, else the default one
            });
        }
        try {
            if (token == null) {
                return CompletableFuture.completedFuture(grant(Authorization.authorizePublic(path, publicSubscribe, publicPublish), ""));
            }
            if (keys == null) {
                throw SessionRefusedException.withStatus(401, "a token was given but no auth key is configured");
            }
        } catch (TokenException e) {
            return CompletableFuture.failedFuture(refusal(e));
        } catch (SessionRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return keys.verify(token).handle((claims, err) -> {
            if (err != null) throw refusal(err);
            try {
                return grant(Authorization.authorize(path, claims), "");
            } catch (TokenException e) {
                throw refusal(e);
            }
        });
    }

    /**
     * mTLS: the certificate is the credential (relay.md §5.8). With an auth API the peer still lands on the
     * API's alias and tier, and an API failure refuses it: accepting it at the unresolved path would strand
     * its broadcasts where no subscriber looks.
     */
    private CompletableFuture<Grant> peer(String path, X509Certificate cert, String transport) {
        Instant expires = cert.getNotAfter().toInstant();
        log.info("client certificate '{}' accepted for path '{}'", cert.getSubjectX500Principal().getName(), Path.of(path));
        if (api == null) return CompletableFuture.completedFuture(everything(path, expires, mtlsTier));
        return api.resolvePeer(path, transport).handle((peer, err) -> {
            if (err != null) throw refusal(err);
            return everything(peer.root(), expires, tier(peer.tier(), mtlsTier));
        });
    }

    @Override
    public void close() {
        if (keys != null) keys.close();
        if (api != null) api.close();
    }

    private static Grant everything(String root, Instant expires, String tier) {
        return new Grant(Path.of(root), List.of(Path.ROOT), List.of(Path.ROOT), expires, tier);
    }

    /** A tier label as the reference's metrics show it (a normalized path; {@code ""} = default), or {@code fallback}. */
    private static String tier(String label, String fallback) {
        return label == null ? fallback : Path.of(label).toString();
    }

    private static SessionRefusedException refusal(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof SessionRefusedException r) return r;
        if (cause instanceof TokenException te) {
            int status = switch (te.reason()) {
                case KEY_UNAVAILABLE, AUTH_API_UNAVAILABLE -> 502;
                default -> 401;
            };
            return SessionRefusedException.withStatus(status, te.getMessage());
        }
        log.warn("authorization failed: {}", cause.toString());
        return SessionRefusedException.withStatus(401, "authorization failed");
    }

    private static Grant grant(Permissions p, String tier) {
        return new Grant(Path.of(p.root()), p.publish().stream().map(Path::of).toList(),
                p.subscribe().stream().map(Path::of).toList(), p.expires(), tier);
    }

    private static String lastNonEmpty(List<String> values) {
        if (values == null) return null;
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!values.get(i).isEmpty()) return values.get(i);
        }
        return null;
    }

    /** How a {@link RelayAuthorizer} decides. */
    public static final class Builder {
        private KeyResolver keys;
        private List<String> publicSubscribe = List.of();
        private List<String> publicPublish = List.of();
        private AuthApi api;
        private AuthDomains domains = AuthDomains.NONE;
        private String mtlsTier = "";

        private Builder() {
        }

        /** Verifies tokens; null (the default) refuses every token. Closed with the authorizer. */
        public Builder keys(KeyResolver keys) {
            this.keys = keys;
            return this;
        }

        /** Prefixes anyone may subscribe and publish under without a token. */
        public Builder publicAccess(List<String> subscribe, List<String> publish) {
            this.publicSubscribe = List.copyOf(subscribe);
            this.publicPublish = List.copyOf(publish);
            return this;
        }

        /** Decides every connection instead of the keys and public prefixes. Closed with the authorizer. */
        public Builder api(AuthApi api) {
            this.api = api;
            return this;
        }

        /** Subdomain routing; default none. */
        public Builder domains(AuthDomains domains) {
            this.domains = Objects.requireNonNull(domains, "domains");
            return this;
        }

        /** The tier of client-certificate peers the auth API puts in none; null or {@code ""} is the default tier. */
        public Builder mtlsTier(String tier) {
            this.mtlsTier = tier(tier, "");
            return this;
        }

        public RelayAuthorizer build() {
            return new RelayAuthorizer(this);
        }
    }
}
