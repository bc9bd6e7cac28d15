package org.moqrelay.relay.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The 404 page for paths no route claims, telling a curious visitor what this port is. */
final class LandingPage {
    static final String BODY = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>moq-relay</title></head>
            <body>
            <h1>moq-relay</h1>
            <p>This is a Media over QUIC relay: clients connect with WebTransport or WebSocket at this host and port.</p>
            </body>
            </html>
            """;

    static final WebHandler HANDLER = (ctx, request) ->
            WebResponses.send(ctx, request, WebResponses.html(HttpResponseStatus.NOT_FOUND, BODY));

    private LandingPage() {}
}
