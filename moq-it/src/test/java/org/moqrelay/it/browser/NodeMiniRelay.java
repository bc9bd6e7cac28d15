package org.moqrelay.it.browser;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code src/test/js/node/mini-relay.mjs}: a tiny WebSocket-only (qmux) stand-in relay built
 * from npm @moq/net itself. It exists to prove the browser harness (publish, subscribe, version
 * reporting) without the Java relay; it is not the system under test. Pages reach it only over
 * WebSocket, so use {@code hideWebTransport=1}.
 */
public final class NodeMiniRelay implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening ws://127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final Path output;
    private final int port;

    private NodeMiniRelay(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    public static NodeMiniRelay start(String name) {
        Path js = BrowserSupport.jsDir();
        Path script = js.resolve("node/mini-relay.mjs");
        if (!Files.isDirectory(js.resolve("node_modules/@moq/net"))) {
            Assertions.fail("npm packages missing in " + js + " (run 'bash moq-it/src/test/js/prepare.sh')");
        }
        Path output = BrowserSupport.logDir().resolve(name + "-mini-relay.log");
        Process p;
        try {
            p = new ProcessBuilder("node", script.toString(), "0")
                    .directory(js.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node (is Node.js installed?)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (System.nanoTime() < deadline) {
                String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
                Matcher m = LISTENING.matcher(text);
                if (m.find()) return new NodeMiniRelay(p, output, Integer.parseInt(m.group(1)));
                if (!p.isAlive()) break;
                Thread.sleep(50);
            }
            String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            p.destroyForcibly();
            throw new AssertionError("mini relay did not start within 20 s (alive=" + p.isAlive() + "):\n" + text);
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/anon}: the URL @moq/net connects to (it dials ws:// for it). */
    public String url() {
        return "http://127.0.0.1:" + port + "/anon";
    }

    public String outputTail() {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            return "--- mini relay (" + output + ")\n  " + String.join("\n  ", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "--- mini relay: " + e;
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
