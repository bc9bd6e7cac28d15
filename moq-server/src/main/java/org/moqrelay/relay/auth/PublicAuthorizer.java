package org.moqrelay.relay.auth;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.SessionRefusedException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;

/**
 * Anonymous access under the configured public prefixes ({@code --auth-public}): a session whose
 * path lies under one of them may publish and subscribe there; anything else is refused with
 * Unauthorized. JWT verification is added on top of this later.
 */
public final class PublicAuthorizer implements Authorizer {
    private final List<Path> prefixes;

    public PublicAuthorizer(List<String> publicPrefixes) {
        this.prefixes = publicPrefixes == null ? List.of() : publicPrefixes.stream().map(Path::of).toList();
    }

    @Override
    public CompletableFuture<Grant> authorize(String pathAndQuery) {
        try {
            return CompletableFuture.completedFuture(decide(pathAndQuery));
        } catch (SessionRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The grant for anonymous access at this path. */
    public Grant decide(String pathAndQuery) {
        Path path = Path.of(Authorizer.stripQuery(pathAndQuery));
        List<Path> below = new java.util.ArrayList<>();
        for (Path p : prefixes) {
            if (path.hasPrefix(p)) return Grant.all(path);
            // A public prefix below the requested path: access is scoped to it (relay.md §5.5).
            Path rel = p.stripPrefix(path);
            if (rel != null) below.add(rel);
        }
        if (!below.isEmpty()) return new Grant(path, below, below, null);
        throw new SessionRefusedException(ErrorCode.UNAUTHORIZED, "path '" + path + "' is not public and no token was given");
    }
}
