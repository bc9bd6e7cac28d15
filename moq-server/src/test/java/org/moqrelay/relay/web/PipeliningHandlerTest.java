package org.moqrelay.relay.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler alone on an embedded channel, the router replaced by a recorder the test answers for. */
class PipeliningHandlerTest {
    /** Stands in for the router: keeps what reaches it, for the test to answer. */
    private final List<FullHttpRequest> routed = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new PipeliningHandler(), new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            routed.add((FullHttpRequest) msg);
        }
    });
    private final List<FullHttpRequest> sent = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        routed.forEach(r -> {
            if (r.refCnt() > 0) r.release();
        });
    }

    @Test
    void requestsReachTheRouterOneAtATimeAndInOrder() {
        send("/a", "/b", "/c");
        assertThat(uris()).containsExactly("/a");

        answer(); // a whole response
        assertThat(uris()).containsExactly("/a", "/b");

        // A streamed response: the next request waits for its last chunk.
        channel.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1})));
        channel.runPendingTasks();
        assertThat(uris()).containsExactly("/a", "/b");
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.runPendingTasks();
        assertThat(uris()).containsExactly("/a", "/b", "/c");
    }

    @Test
    void aClientNotReadingItsAnswersGetsNoNextRequestServedUntilItDoes() {
        send("/a", "/b");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        answer();
        assertThat(uris()).containsExactly("/a");

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks(); // the writability change is announced from the loop
        assertThat(uris()).containsExactly("/a", "/b");
    }

    @Test
    void waitingRequestsAreReleasedWhenTheConnectionCloses() {
        send("/a", "/b", "/c");
        channel.close();
        assertThat(sent.subList(1, 3)).allSatisfy(r -> assertThat(r.refCnt()).isZero());
        assertThat(uris()).containsExactly("/a");
    }

    @Test
    void leavingThePipelineReleasesWaitingRequestsAndServesNoMore() {
        send("/a", "/b", "/c");
        channel.pipeline().remove(PipeliningHandler.class); // as a WebSocket upgrade does, right after its 101
        answer();
        assertThat(sent.subList(1, 3)).allSatisfy(r -> assertThat(r.refCnt()).isZero());
        assertThat(uris()).containsExactly("/a");
    }

    private void send(String... paths) {
        for (String p : paths) {
            FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, p);
            sent.add(r);
            channel.writeInbound(r);
        }
    }

    private void answer() {
        channel.writeAndFlush(WebResponses.text(HttpResponseStatus.OK, "ok\n"));
        channel.runPendingTasks();
    }

    private List<String> uris() {
        return routed.stream().map(FullHttpRequest::uri).toList();
    }
}
