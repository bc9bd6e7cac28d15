package org.moqrelay.it.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server standing in for the relay's auth API ({@code --auth-api}): each request's query
 * ({@code root}, {@code kid}, {@code mtls}, {@code transport}) is recorded and answered by the test's
 * function, by default with 404.
 */
public final class AuthApiServer implements AutoCloseable {
    /** One answer: an HTTP status and a JSON body. */
    public record Answer(int status, String body) {
        public static Answer json(String body) {
            return new Answer(200, body);
        }
    }

    private final HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Map<String, String>, Answer> answers = q -> new Answer(404, "");

    private AuthApiServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1 at a free port, path {@code /auth}. */
    public static AuthApiServer start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setExecutor(Executors.newCachedThreadPool());
        AuthApiServer api = new AuthApiServer(s);
        s.createContext("/auth", api::serve);
        s.start();
        return api;
    }

    /** The URL to give the relay. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/auth";
    }

    /** Answers every later request with {@code answers}, given the decoded query. */
    public void answer(Function<Map<String, String>, Answer> answers) {
        this.answers = answers;
    }

    /** The decoded query of every request so far, in arrival order. */
    public List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    /** The requests so far whose {@code root} is {@code root}. */
    public List<Map<String, String>> requestsFor(String root) {
        return requests.stream().filter(q -> root.equals(q.get("root"))).toList();
    }

    private void serve(HttpExchange ex) throws IOException {
        Map<String, String> query = decode(ex.getRequestURI().getRawQuery());
        requests.add(query);
        Answer a = answers.apply(query);
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        new QueryStringDecoder(raw == null ? "" : raw, false).parameters().forEach((k, v) -> out.put(k, v.get(v.size() - 1)));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
