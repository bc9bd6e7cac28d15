package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.util.function.Supplier;

/** Serves {@code GET /certificate.sha256}: the hash browsers pin with {@code serverCertificateHashes}. */
final class CertificateHashHandler implements WebHandler {
    private final Supplier<String> sha256Hex;

    CertificateHashHandler(Supplier<String> sha256Hex) {
        this.sha256Hex = Objects.requireNonNull(sha256Hex, "sha256Hex");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String hex = sha256Hex.get();
        if (hex == null) {
            WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.NOT_FOUND, "no certificate\n"));
            return;
        }
        // No newline: the JS client's hex parser rejects anything but the 64 digits.
        FullHttpResponse response = WebResponses.text(HttpResponseStatus.OK, hex);
        // The certificate can be replaced at run time; a cached hash would pin the old one.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        WebResponses.send(ctx, request, response);
    }
}
