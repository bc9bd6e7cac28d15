package org.moqrelay.relay.auth;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.SessionRefusedException;
import org.moqrelay.token.Authorization;
import org.moqrelay.token.KeyResolver;
import org.moqrelay.token.Permissions;
import org.moqrelay.token.TokenException;
import org.moqrelay.wire.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's authorization (relay.md §5): a JWT from {@code ?jwt=} verified with the configured
 * key (file, directory or URL, resolved off the event loop) and scoped to the connection path;
 * without a token, the public prefixes. Refusals carry the reference's HTTP-style status (401, or
 * 502 when a key could not be fetched). Tokens and keys never reach the log.
 */
public final class RelayAuthorizer implements Authorizer {
    private static final Logger log = LoggerFactory.getLogger(RelayAuthorizer.class);

    private final KeyResolver keys;
    private final List<String> publicSubscribe;
    private final List<String> publicPublish;

    /**
     * @param keys            verifies tokens; null when no key is configured (then any token is refused)
     * @param publicSubscribe prefixes anyone may subscribe under without a token
     * @param publicPublish   prefixes anyone may publish under without a token
     */
    public RelayAuthorizer(KeyResolver keys, List<String> publicSubscribe, List<String> publicPublish) {
        this.keys = keys;
        this.publicSubscribe = List.copyOf(publicSubscribe);
        this.publicPublish = List.copyOf(publicPublish);
    }

    @Override
    public CompletableFuture<Grant> authorize(String pathAndQuery) {
        QueryStringDecoder q = new QueryStringDecoder(pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery);
        String path = q.path();
        String token = lastNonEmpty(q.parameters().get("jwt"));
        try {
            if (token == null) {
                return CompletableFuture.completedFuture(grant(Authorization.authorizePublic(path, publicSubscribe, publicPublish)));
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
            if (err != null) {
                Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                if (cause instanceof TokenException te) throw refusal(te);
                log.warn("token verification failed: {}", cause.toString());
                throw SessionRefusedException.withStatus(401, "token verification failed");
            }
            try {
                return grant(Authorization.authorize(path, claims));
            } catch (TokenException e) {
                throw refusal(e);
            }
        });
    }

    private static SessionRefusedException refusal(TokenException e) {
        int status = e.reason() == TokenException.Reason.KEY_UNAVAILABLE ? 502 : 401;
        return SessionRefusedException.withStatus(status, e.getMessage());
    }

    private static Grant grant(Permissions p) {
        return new Grant(Path.of(p.root()), p.publish().stream().map(Path::of).toList(),
                p.subscribe().stream().map(Path::of).toList(), p.expires());
    }

    private static String lastNonEmpty(List<String> values) {
        if (values == null) return null;
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!values.get(i).isEmpty()) return values.get(i);
        }
        return null;
    }
}
