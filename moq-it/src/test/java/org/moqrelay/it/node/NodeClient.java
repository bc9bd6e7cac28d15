package org.moqrelay.it.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.moqrelay.it.browser.BrowserSupport;
import org.moqrelay.it.browser.Json;
import org.moqrelay.it.browser.PageResult;

/**
 * One real npm {@code @moq/net} client in Node: {@code node node/run.mjs key=value ...} (see
 * {@code src/test/js/src/runner.js} for the parameters: mode, relay, broadcast, subprotocols, ...).
 * Its stdout JSON lines ({@code {type: event|result, ...}}) are collected as messages, everything
 * else (console output, stderr) as log lines, all copied to {@code <logDir>/<name>-node.log}.
 * Every wait is bounded; {@link #close()} kills the process (and its children) within a few seconds.
 *
 * <pre>{@code
 * try (NodeClient pub = NodeClient.start("pub", Map.of("mode", "publish", "relay", url, "groups", "0"))) {
 *     pub.awaitEvent("publishing", Duration.ofSeconds(10));
 *     ...
 *     pub.stop();
 *     PageResult r = pub.awaitResult(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class NodeClient implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String id;
    private final Process process;
    private final Path logFile;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();
    private final Writer logWriter;
    private final long startedNanos = System.nanoTime();
    private int openStreams = 2;

    private NodeClient(String id, Process process, Path logFile, Writer logWriter) {
        this.id = id;
        this.process = process;
        this.logFile = logFile;
        this.logWriter = logWriter;
    }

    /**
     * Starts {@code node/run.mjs} with {@code params} (a {@code run} id is added: {@code name-N}).
     * Calls {@link NodeSupport#requireNode()} first.
     */
    public static NodeClient start(String name, Map<String, String> params) {
        NodeSupport.requireNode();
        Path js = BrowserSupport.jsDir();
        String id = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + COUNTER.incrementAndGet();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("run", id);
        q.putAll(params);
        List<String> cmd = new ArrayList<>();
        cmd.add(NodeSupport.executable());
        cmd.add(js.resolve("node/run.mjs").toString());
        // run.mjs joins its arguments with '&' and parses them as a query string.
        q.forEach((k, v) -> cmd.add(enc(k) + "=" + enc(v)));
        Path logFile = BrowserSupport.logDir().resolve(id + "-node.log");
        Writer w;
        Process p;
        try {
            w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            w.write("$ " + String.join(" ", cmd) + "\n");
            w.flush();
            p = new ProcessBuilder(cmd).directory(js.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        NodeClient c = new NodeClient(id, p, logFile, w);
        c.pump(p.getInputStream(), true);
        c.pump(p.getErrorStream(), false);
        return c;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void pump(InputStream in, boolean stdout) {
        Thread.ofPlatform().daemon().name("node-" + id + (stdout ? "-out" : "-err")).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) accept(line, stdout);
            } catch (IOException e) {
                // the process went away
            } finally {
                synchronized (this) {
                    openStreams--;
                    notifyAll();
                }
            }
        });
    }

    private synchronized void accept(String line, boolean stdout) {
        Map<String, Object> msg = null;
        if (stdout && line.startsWith("{")) {
            try {
                msg = Json.parseObject(line);
            } catch (IllegalArgumentException e) {
                msg = null;
            }
        }
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        if (msg != null && msg.get("type") != null) {
            messages.add(msg);
            log(String.format("%6dms <<< %s", ms, line));
        } else {
            String l = String.format("%6dms %s %s", ms, stdout ? "OUT" : "ERR", line);
            logs.add(l);
            log(l);
        }
        notifyAll();
    }

    private void log(String line) {
        try {
            logWriter.write(line);
            logWriter.write('\n');
            logWriter.flush();
        } catch (IOException e) {
            // the log file is a debugging aid only
        }
    }

    public String id() {
        return id;
    }

    public Path logFile() {
        return logFile;
    }

    public Process process() {
        return process;
    }

    /** The event/result messages so far, in arrival order. */
    public synchronized List<Map<String, Object>> messages() {
        return List.copyOf(messages);
    }

    /** Events named {@code name} so far. */
    public synchronized List<Map<String, Object>> events(String name) {
        return messages.stream().filter(m -> "event".equals(m.get("type")) && name.equals(m.get("name"))).toList();
    }

    /** Console and stderr lines so far. */
    public synchronized List<String> logs() {
        return List.copyOf(logs);
    }

    /**
     * Waits (bounded) for the first message matching {@code p}; fails with the client's log on timeout,
     * or when the process ended (both output streams closed) without producing it.
     */
    public Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            try {
                for (;;) {
                    for (Map<String, Object> m : messages) if (p.test(m)) return m;
                    if (openStreams == 0) {
                        throw new AssertionError("node client " + id + " exited (" + exitCode() + ") before " + what + diagnostics());
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("node client " + id + ": no " + what + " within " + timeout.toMillis() + " ms" + diagnostics());
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits (bounded) for the event {@code name}; fails if the result arrives first. */
    public Map<String, Object> awaitEvent(String name, Duration timeout) {
        Map<String, Object> m = await(x -> ("event".equals(x.get("type")) && name.equals(x.get("name"))) || "result".equals(x.get("type")),
                timeout, "event '" + name + "'");
        if ("result".equals(m.get("type"))) {
            throw new AssertionError("node client " + id + " finished before event '" + name + "': " + new PageResult(m) + diagnostics());
        }
        return m;
    }

    /** Waits (bounded) for the first event {@code name} whose fields match {@code p}; fails if the result arrives first. */
    public Map<String, Object> awaitEvent(String name, Predicate<Map<String, Object>> p, Duration timeout) {
        Map<String, Object> m = await(x -> ("event".equals(x.get("type")) && name.equals(x.get("name")) && p.test(x))
                || "result".equals(x.get("type")), timeout, "matching event '" + name + "'");
        if ("result".equals(m.get("type"))) {
            throw new AssertionError("node client " + id + " finished before a matching event '" + name + "': " + new PageResult(m) + diagnostics());
        }
        return m;
    }

    /** Waits (bounded) for the result message. */
    public PageResult awaitResult(Duration timeout) {
        return new PageResult(await(x -> "result".equals(x.get("type")), timeout, "result"));
    }

    /** Asks the client to stop (publish mode closes its broadcast, then reports its result). */
    public void stop() {
        try {
            OutputStream in = process.getOutputStream();
            in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            // the process already ended; its result (or its absence) tells the rest
        }
    }

    /** Waits (bounded) for the process to exit; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node client " + id + " still running after " + timeout.toMillis() + " ms" + diagnostics());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : "exit code " + process.exitValue();
    }

    /** The last messages and log lines, for assertion messages. */
    public synchronized String diagnostics() {
        StringBuilder sb = new StringBuilder();
        sb.append("\n--- node client ").append(id).append(" (").append(exitCode()).append("): ").append(messages.size())
                .append(" messages, ").append(logs.size()).append(" log lines (full log: ").append(logFile).append(")\n");
        for (Map<String, Object> m : messages.subList(Math.max(0, messages.size() - 8), messages.size())) {
            sb.append("  <<< ").append(abbreviate(Json.write(m), 600)).append('\n');
        }
        for (String l : logs.subList(Math.max(0, logs.size() - 40), logs.size())) sb.append("  ").append(l).append('\n');
        return sb.toString();
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }

    /** Kills the process (SIGTERM, then SIGKILL after 3 s) and its children; bounded. */
    @Override
    public void close() {
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            synchronized (this) {
                try {
                    logWriter.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
