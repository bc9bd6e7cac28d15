package org.moqrelay.relay.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds and sends the small, complete responses of the web endpoints. */
public final class WebResponses {
    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String TEXT_HTML = "text/html; charset=utf-8";

    private WebResponses() {}

    /** A {@code text/plain} response with {@code body} as UTF-8. */
    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return withBody(status, TEXT_PLAIN, body);
    }

    /** A {@code text/html} response with {@code body} as UTF-8. */
    public static FullHttpResponse html(HttpResponseStatus status, String body) {
        return withBody(status, TEXT_HTML, body);
    }

    /** A response with no body and no content type. */
    public static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    /** 405, naming the methods the endpoint takes in {@code Allow}. */
    public static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    /**
     * Sends {@code response} to {@code request}, keeping the connection open if the client asked
     * for keep-alive and closing it after the response otherwise.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        setLength(response);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written;
    }

    /** Sends {@code response} and closes the connection, whatever the client asked for. */
    public static ChannelFuture sendAndClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        setLength(response);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse withBody(HttpResponseStatus status, String contentType, String body) {
        // Always HTTP/1.1, also to 1.0 clients: RFC 9110 §2.5 asks for the highest version we speak.
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }

    private static void setLength(FullHttpResponse response) {
        // RFC 9110 §8.6: no Content-Length on 204 (and 1xx) responses.
        int code = response.status().code();
        if (code != HttpResponseStatus.NO_CONTENT.code() && code >= 200) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
    }
}
