package org.moqrelay.it.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The test's own HTTP server on 127.0.0.1 (ephemeral port), built on the JDK's
 * {@code com.sun.net.httpserver}. It serves the test page to Chromium and collects what the page
 * reports, keyed by run id:
 * <ul>
 *   <li>{@code GET /page.html?run=ID&mode=...} - HTML that loads the bundle (hides {@code WebTransport}
 *       first when {@code hideWebTransport=1});</li>
 *   <li>{@code GET /page.bundle.js} - the esbuild bundle of {@code src/test/js/src/page.js};</li>
 *   <li>{@code POST /report} - JSON {@code {run, type: log|event|result, ...}} from the page;</li>
 *   <li>{@code GET /control?run=ID} - {@code {"stop":bool}}, polled by the page.</li>
 * </ul>
 * Every wait is bounded. Extra routes (e.g. a fake {@code /certificate.sha256}) can be added with
 * {@link #route}.
 */
public final class ResultServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Path bundle;
    private final Path logDir;
    private final Map<String, PageRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    private ResultServer(Path bundle, Path logDir) throws IOException {
        this.bundle = bundle;
        this.logDir = logDir;
        Files.createDirectories(logDir);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "result-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/page.html", this::page);
        server.createContext("/page.bundle.js", this::bundle);
        server.createContext("/report", this::report);
        server.createContext("/control", this::control);
        server.createContext("/", ex -> respond(ex, 404, "text/plain", "not found: " + ex.getRequestURI()));
        server.start();
    }

    /** Starts a server for the bundle and log directory of {@link BrowserSupport}. */
    public static ResultServer start() {
        return start(BrowserSupport.bundle(), BrowserSupport.logDir());
    }

    public static ResultServer start(Path bundle, Path logDir) {
        try {
            return new ResultServer(bundle, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI origin() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public Path logDir() {
        return logDir;
    }

    /** Adds a route, e.g. to fake a relay's {@code /certificate.sha256} in harness tests. */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /**
     * Registers a new run and returns its handle; {@link PageRun#url()} is the page URL to open.
     * @param name prefix of the run id (also used for log file names)
     * @param params page query parameters (mode, relay, broadcast, ...); see page.js
     */
    public PageRun newRun(String name, Map<String, String> params) {
        String id = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + counter.incrementAndGet();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("run", id);
        q.putAll(params);
        StringBuilder sb = new StringBuilder(origin() + "/page.html?");
        boolean first = true;
        for (Map.Entry<String, String> e : q.entrySet()) {
            if (!first) sb.append('&');
            first = false;
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        PageRun run = new PageRun(id, URI.create(sb.toString()), logDir.resolve(id + "-page.log"));
        runs.put(id, run);
        return run;
    }

    public PageRun run(String id) {
        return runs.get(id);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        runs.values().forEach(PageRun::closeLog);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- handlers

    private static final String HTML = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>moq-it</title>
            <script>
            if (/[?&]hideWebTransport=(1|true)(&|$)/.test(location.search)) { delete globalThis.WebTransport; }
            </script>
            <script src="/page.bundle.js"></script>
            </head><body>moq-it test page</body></html>
            """;

    private void page(HttpExchange ex) throws IOException {
        respond(ex, 200, "text/html; charset=utf-8", HTML);
    }

    private void bundle(HttpExchange ex) throws IOException {
        if (!Files.isRegularFile(bundle)) {
            respond(ex, 404, "text/plain", "bundle missing: " + bundle);
            return;
        }
        respond(ex, 200, "text/javascript; charset=utf-8", Files.readAllBytes(bundle));
    }

    private void report(HttpExchange ex) throws IOException {
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            respond(ex, 204, "text/plain", new byte[0]);
            return;
        }
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> msg;
        try {
            msg = Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            respond(ex, 400, "text/plain", e.getMessage());
            return;
        }
        String id = String.valueOf(msg.get("run"));
        PageRun run = runs.computeIfAbsent(id, k -> new PageRun(k, null, logDir.resolve(k + "-page.log")));
        run.accept(msg);
        respond(ex, 204, "text/plain", new byte[0]);
    }

    private void control(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        PageRun run = runs.get(q.getOrDefault("run", ""));
        boolean stop = run != null && run.stopRequested;
        respond(ex, 200, "application/json", "{\"stop\":" + stop + "}");
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        respond(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", "*");
            if (status == 204 || body.length == 0) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    // ---------------------------------------------------------------- runs

    /** One page run: the messages it posted (kept in order), its log lines and its stop flag. */
    public static final class PageRun {
        private final String id;
        private final URI url;
        private final Path logFile;
        private final List<Map<String, Object>> messages = new ArrayList<>();
        private final List<String> logs = new ArrayList<>();
        private Writer logWriter;
        private volatile boolean stopRequested;
        private volatile Supplier<String> onTimeout;

        PageRun(String id, URI url, Path logFile) {
            this.id = id;
            this.url = url;
            this.logFile = logFile;
        }

        public String id() {
            return id;
        }

        /** The page URL to open in the browser. */
        public URI url() {
            return url;
        }

        /** The file the page's console lines are written to. */
        public Path logFile() {
            return logFile;
        }

        /** Asks the page to stop (publish mode closes its broadcast and reports its result). */
        public void stop() {
            stopRequested = true;
        }

        synchronized void accept(Map<String, Object> msg) {
            if ("log".equals(msg.get("type"))) {
                Object lines = msg.get("lines");
                if (lines instanceof List<?> l) {
                    for (Object o : l) {
                        String line = String.valueOf(o);
                        logs.add(line);
                        writeLog(line);
                    }
                }
            } else {
                messages.add(msg);
                writeLog("<<< " + Json.write(msg));
            }
            notifyAll();
        }

        private void writeLog(String line) {
            try {
                if (logWriter == null) logWriter = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
                logWriter.write(line);
                logWriter.write('\n');
                logWriter.flush();
            } catch (IOException e) {
                // the log file is a debugging aid only
            }
        }

        synchronized void closeLog() {
            try {
                if (logWriter != null) logWriter.close();
            } catch (IOException ignored) {
                // best effort
            }
        }

        /** The page's console lines so far. */
        public synchronized List<String> logs() {
            return List.copyOf(logs);
        }

        /** The event/result messages so far, in arrival order. */
        public synchronized List<Map<String, Object>> messages() {
            return List.copyOf(messages);
        }

        /** Waits (bounded) for the first message matching {@code p}; null on timeout. */
        public synchronized Map<String, Object> poll(Predicate<Map<String, Object>> p, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (;;) {
                for (Map<String, Object> m : messages) if (p.test(m)) return m;
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                long ms = Math.max(1, left / 1_000_000);
                wait(ms);
            }
        }

        /** Waits (bounded) for the event {@code name}; fails with the page log on timeout or if the result arrived first. */
        public Map<String, Object> awaitEvent(String name, Duration timeout) {
            Map<String, Object> m = await(x -> ("event".equals(x.get("type")) && name.equals(x.get("name"))) || "result".equals(x.get("type")),
                    timeout, "event '" + name + "'");
            if ("result".equals(m.get("type"))) {
                throw new AssertionError("run " + id + ": page finished before event '" + name + "': " + new PageResult(m) + describeLogs());
            }
            return m;
        }

        /** Waits (bounded) for the page's result message; fails with the page log on timeout. */
        public PageResult awaitResult(Duration timeout) {
            return new PageResult(await(x -> "result".equals(x.get("type")), timeout, "result"));
        }

        private Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout, String what) {
            try {
                Map<String, Object> m = poll(p, timeout);
                if (m == null) {
                    throw new AssertionError("run " + id + ": no " + what + " within " + timeout.toSeconds() + " s"
                            + (onTimeout != null ? "\n" + onTimeout.get() : "") + describeLogs());
                }
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }

        /** Extra diagnostics (e.g. the Chromium log tail) to include when a wait times out. */
        public void onTimeout(Supplier<String> diagnostics) {
            this.onTimeout = diagnostics;
        }

        /** The last page log lines, for assertion messages. */
        public String describeLogs() {
            List<String> l = logs();
            List<Map<String, Object>> msgs = messages();
            StringBuilder sb = new StringBuilder();
            sb.append("\n--- run ").append(id).append(": ").append(msgs.size()).append(" messages, ")
                    .append(l.size()).append(" log lines (full log: ").append(logFile).append(")\n");
            for (Map<String, Object> m : msgs.subList(Math.max(0, msgs.size() - 10), msgs.size())) {
                sb.append("  <<< ").append(Json.abbreviate(Json.write(m))).append('\n');
            }
            for (String line : l.subList(Math.max(0, l.size() - 40), l.size())) sb.append("  ").append(line).append('\n');
            return sb.toString();
        }
    }
}
