package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.transport.quic.PeerCertificates;
import org.moqrelay.wire.Path;

/**
 * {@code GET /announced} and {@code /announced/{prefix}}: the broadcasts announced under the
 * prefix, relative to it, one per line without a trailing newline (relay.md §6). Authorized like
 * a session at path {@code prefix} ({@code ?jwt=}).
 */
final class AnnouncedHandler implements WebHandler {
    private final Origin origin;
    private final Authorizer authorizer;

    AnnouncedHandler(Origin origin, Authorizer authorizer) {
        this.origin = origin;
        this.authorizer = authorizer;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder q = new QueryStringDecoder(request.uri());
        String rest = q.path().substring("/announced".length());
        request.retain();
        // A client certificate verified by the HTTPS listener (web.https.root) stands in for a token.
        Authorizer.Request auth = new Authorizer.Request(rest + queryOf(request.uri()), null, null,
                PeerCertificates.ofTls(ctx.channel()));
        authorizer.authorize(auth).whenComplete((grant, err) -> ctx.executor().execute(() -> {
            try {
                if (err != null) {
                    Refusals.send(ctx, request, err, "/announced");
                } else if (!grant.canSubscribe()) {
                    // No subscribe grant at this prefix (e.g. a publish-only token) is a 401 as well,
                    // as in the reference (cluster.subscriber(&token) is None).
                    WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.UNAUTHORIZED, "unauthorized\n"));
                } else {
                    answer(ctx, request, grant);
                }
            } finally {
                request.release();
            }
        }));
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request, Authorizer.Grant grant) {
        Path prefix = grant.root();
        List<String> lines = new ArrayList<>();
        for (Broadcast b : origin.announced(prefix)) {
            Path rel = b.path().stripPrefix(prefix);
            if (rel != null && grant.maySubscribe(rel)) lines.add(rel.toString());
        }
        WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.OK, String.join("\n", lines)));
    }

    static String queryOf(String uri) {
        int i = uri.indexOf('?');
        return i < 0 ? "" : uri.substring(i);
    }
}
