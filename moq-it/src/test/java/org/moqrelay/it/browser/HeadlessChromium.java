package org.moqrelay.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One headless Chromium process showing one page ({@code /usr/bin/chromium} or {@code $CHROMIUM}),
 * with a fresh profile directory. Its stdout+stderr (including the page's console lines, via
 * {@code --enable-logging=stderr}) go to {@code <logDir>/<name>-chromium.log}. {@link #close()} kills
 * the whole process tree and deletes the profile.
 *
 * <p>Net-log for debugging WebTransport handshakes ({@code --log-net-log}, capture mode Everything):
 * {@link Builder#netLog(boolean)}, or for every launch {@code -Dmoq.it.netlog=true} / env {@code MOQ_IT_NETLOG=1};
 * it is written to {@code <logDir>/<name>-netlog.json}.
 */
public final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final Path output;
    private final Path netLog;
    private final String name;

    private HeadlessChromium(Process process, Path profile, Path output, Path netLog, String name) {
        this.process = process;
        this.profile = profile;
        this.output = output;
        this.netLog = netLog;
        this.name = name;
    }

    /** Launches Chromium on {@code url} with the defaults of {@link BrowserSupport}. */
    public static HeadlessChromium launch(URI url, String name) {
        return builder(url).name(name).launch();
    }

    public static Builder builder(URI url) {
        return new Builder(url);
    }

    public static final class Builder {
        private final URI url;
        private String name = "chromium";
        private Path executable;
        private Path logDir;
        private boolean netLog = BrowserSupport.netLogRequested();
        private final List<String> extraArgs = new ArrayList<>();

        private Builder(URI url) {
            this.url = url;
        }

        /** Base name of the log files (usually the run id). */
        public Builder name(String name) {
            this.name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
            return this;
        }

        public Builder executable(Path executable) {
            this.executable = executable;
            return this;
        }

        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** Adds {@code --log-net-log=<logDir>/<name>-netlog.json --net-log-capture-mode=Everything}. */
        public Builder netLog(boolean on) {
            this.netLog = on;
            return this;
        }

        /** Extra Chromium switches, e.g. {@code --origin-to-force-quic-on=...}. */
        public Builder arg(String arg) {
            extraArgs.add(arg);
            return this;
        }

        public HeadlessChromium launch() {
            Path exe = executable != null ? executable : BrowserSupport.chromium();
            Path dir = logDir != null ? logDir : BrowserSupport.logDir();
            try {
                Files.createDirectories(dir);
                Path profile = Files.createTempDirectory("moq-it-chromium-");
                Path output = dir.resolve(name + "-chromium.log");
                Path netLogFile = netLog ? dir.resolve(name + "-netlog.json") : null;
                List<String> cmd = new ArrayList<>(List.of(
                        exe.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions",
                        "--disable-default-apps",
                        "--disable-dev-shm-usage",
                        "--password-store=basic",
                        "--mute-audio",
                        "--enable-logging=stderr",
                        "--log-level=0",
                        "--user-data-dir=" + profile));
                if (netLogFile != null) {
                    cmd.add("--log-net-log=" + netLogFile);
                    cmd.add("--net-log-capture-mode=Everything");
                }
                cmd.addAll(extraArgs);
                cmd.add(url.toString());
                Files.writeString(output, "# " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                Process p = pb.start();
                return new HeadlessChromium(p, profile, output, netLogFile, name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + exe, e);
            }
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The file with Chromium's stdout/stderr. */
    public Path output() {
        return output;
    }

    /** The net-log file, or null when not enabled. */
    public Path netLog() {
        return netLog;
    }

    /** The last {@code lines} lines of Chromium's output, for assertion messages. */
    public String outputTail(int lines) {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder("--- chromium ").append(name).append(alive()).append(" (full output: ")
                    .append(output).append(netLog != null ? ", net-log: " + netLog : "").append(")\n");
            for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) sb.append("  ").append(l).append('\n');
            return sb.toString();
        } catch (IOException e) {
            return "--- chromium " + name + ": cannot read " + output + ": " + e;
        }
    }

    private String alive() {
        return process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")";
    }

    /** Kills the browser and every process it started, waits (bounded) and removes the profile. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (ProcessHandle h : tree) {
                if (h.isAlive()) h.destroyForcibly();
                while (h.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: a leftover temp profile is harmless
        }
    }
}
