package org.moqrelay.cli;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moq publish|subscribe|load URL}: publishes or checks a test stream through a relay. A
 * failure (no connection, a refused upgrade, a bad URL) is one line on stderr and exit status 1.
 */
// INHERIT: every subcommand takes --help (and --version) too.
@Command(name = "moq", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "moq client for Java 0.1.0",
        subcommands = {ClientCommand.Publish.class, ClientCommand.Subscribe.class, ClientCommand.Load.class},
        description = "Publishes and subscribes test streams (frames 'g<group>-f<frame>') through a MoQ relay.")
public final class ClientCommand {
    abstract static class Common {
        @Parameters(index = "0", paramLabel = "URL", description = "relay URL: moqt://localhost:4443/anon (QUIC),"
                + " https://localhost:4443/anon (WebTransport), ws://localhost:4443/anon or wss://... (qmux over a WebSocket),"
                + " tcp://127.0.0.1:4444/anon or unix:///run/moq.sock?path=/anon (plain qmux)")
        URI url;

        @Option(names = "--broadcast", defaultValue = "test", description = "broadcast path (default: ${DEFAULT-VALUE})")
        String broadcast;

        @Option(names = "--track", defaultValue = "frames", description = "track name (default: ${DEFAULT-VALUE})")
        String track;

        @Option(names = "--groups", defaultValue = "10", description = "groups to send or expect; 0 = forever (default: ${DEFAULT-VALUE})")
        int groups;

        @Option(names = "--frames", defaultValue = "5", description = "frames per group (default: ${DEFAULT-VALUE})")
        int frames;

        @Option(names = "--tls-disable-verify", description = "accept any relay certificate (development only)")
        boolean insecure;

        @Option(names = "--tls-fingerprint", paramLabel = "SHA256", description = "pin the relay certificate's SHA-256")
        String fingerprint;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        ClientOptions options() {
            return new ClientOptions(insecure, fingerprint);
        }

        /** Where the command's errors go ({@link #execute}'s writer; stderr when run from main). */
        java.io.PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** The connected client; a failure says which URL it was. */
        MoqClient connect(EventLoopGroup group) throws InterruptedException {
            try {
                return MoqClient.connect(group, url, options()).get(CONNECT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot connect to " + url + ": " + describe(e.getCause()), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot connect to " + url + ": no answer within " + CONNECT_SECONDS + " s", e);
            }
        }
    }

    private static final int CONNECT_SECONDS = 10;

    @Command(name = "publish", description = "Publish a test broadcast.")
    static final class Publish extends Common implements Callable<Integer> {
        @Option(names = "--interval", defaultValue = "100", description = "ms between frames (default: ${DEFAULT-VALUE})")
        long interval;

        @Option(names = "--size", defaultValue = "0", description = "pad payloads to this many bytes (default: ${DEFAULT-VALUE})")
        int size;

        @Override
        public Integer call() throws Exception {
            EventLoopGroup group = EventLoops.newGroup(1, "moq-client");
            try (MoqClient client = connect(group)) {
                Broadcast b = client.publish(Path.of(broadcast));
                Track t = b.createTrack(track, TrackInfo.DEFAULT);
                long start = System.currentTimeMillis();
                for (long g = 0; groups == 0 || g < groups; g++) {
                    Group grp = t.createGroup(g);
                    for (int f = 0; f < frames; f++) {
                        grp.append(System.currentTimeMillis() - start, Unpooled.wrappedBuffer(TestStream.payload(g, f, size)));
                        Thread.sleep(interval);
                    }
                    grp.finish();
                    System.out.println("published group " + g);
                }
                t.finish();
                client.unpublish(b);
                Thread.sleep(200); // let the last bytes leave before closing the connection
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            return 0;
        }
    }

    @Command(name = "subscribe", description = "Subscribe to a test broadcast and verify every frame.")
    static final class Subscribe extends Common implements Callable<Integer> {
        @Option(names = "--timeout", defaultValue = "30", description = "seconds to wait for each frame (default: ${DEFAULT-VALUE})")
        long timeout;

        @Override
        public Integer call() throws Exception {
            EventLoopGroup group = EventLoops.newGroup(1, "moq-client");
            int bad = 0;
            int good = 0;
            try (MoqClient client = connect(group)) {
                Track t = client.consume(Path.of(broadcast)).track(track);
                try (TrackReader reader = new TrackReader(t, Demand.LATEST)) {
                    long want = groups == 0 ? Long.MAX_VALUE : (long) groups * frames;
                    while (good + bad < want) {
                        TrackReader.Received r = reader.poll(timeout, TimeUnit.SECONDS);
                        if (r == null) {
                            System.err.println("timed out waiting for a frame");
                            return 1;
                        }
                        if (r.end()) {
                            // Say why nothing (more) came: the relay closed the session, or the track ended.
                            if (!client.session().isOpen()) {
                                err().println("session closed: " + client.session().closeDescription());
                            } else if (t.error() != null) {
                                err().println("track ended: " + t.error());
                            }
                            break;
                        }
                        boolean ok = TestStream.verify(r.group(), r.index(), r.payload());
                        if (ok) good++;
                        else bad++;
                        System.out.println("group " + r.group() + " frame " + r.index() + (ok ? " ok" : " MISMATCH"));
                    }
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            System.out.println(good + " frames verified, " + bad + " mismatched");
            return bad == 0 && good > 0 ? 0 : 1;
        }
    }

    @Command(name = "load", description = {
            "Load-test a relay: N publishers x M subscribers on K tracks at a fixed frame rate, for a bounded time.",
            "Prints one key=value line per figure: delivered throughput, end-to-end latency p50/p99/max",
            "(send timestamp embedded in each payload), losses, and with --relay-pid the relay's CPU and RSS from /proc."})
    static final class Load implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "URL", description = "relay URL, e.g. moqt://127.0.0.1:4443/anon (QUIC),"
                + " https://127.0.0.1:4443/anon (WebTransport) or ws://127.0.0.1:4443/anon (WebSocket)")
        URI url;

        @Option(names = "--publishers", defaultValue = "1", description = "publisher clients (default: ${DEFAULT-VALUE})")
        int publishers;

        @Option(names = "--subscribers", defaultValue = "10", description = "subscriber clients; subscriber j takes track j %% K (default: ${DEFAULT-VALUE})")
        int subscribers;

        @Option(names = "--tracks", defaultValue = "1", description = "tracks, spread over the publishers (default: ${DEFAULT-VALUE})")
        int tracks;

        @Option(names = "--rate-kbps", defaultValue = "250", description = "kilobytes (1000 B) per second per track; 0 = idle sessions (default: ${DEFAULT-VALUE})")
        int rateKBps;

        @Option(names = "--frame-interval-ms", defaultValue = "20", description = "ms between frames (default: ${DEFAULT-VALUE})")
        int frameIntervalMs;

        @Option(names = "--frame-size", defaultValue = "0", description = "bytes per frame; 0 = rate x interval (default: ${DEFAULT-VALUE})")
        int frameSize;

        @Option(names = "--group-frames", defaultValue = "50", description = "frames per group (default: ${DEFAULT-VALUE})")
        int groupFrames;

        @Option(names = "--seconds", defaultValue = "10", description = "measured window (default: ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--warmup-seconds", defaultValue = "2", description = "wait after subscribing before measuring (default: ${DEFAULT-VALUE})")
        int warmupSeconds;

        @Option(names = "--drain-ms", defaultValue = "1000", description = "wait after the window for frames in flight (default: ${DEFAULT-VALUE})")
        int drainMillis;

        @Option(names = "--relay-pid", defaultValue = "0", description = "the relay's pid, for CPU and RSS from /proc")
        long relayPid;

        @Option(names = "--client-threads", defaultValue = "2", description = "event-loop threads for all clients (default: ${DEFAULT-VALUE})")
        int clientThreads;

        @Option(names = "--connect-concurrency", defaultValue = "32", description = "handshakes in flight (default: ${DEFAULT-VALUE})")
        int connectConcurrency;

        @Option(names = "--connect-timeout", defaultValue = "60", description = "seconds to connect everyone (default: ${DEFAULT-VALUE})")
        int connectTimeout;

        @Option(names = "--tls-disable-verify", description = "accept any relay certificate (development only)")
        boolean insecure;

        @Option(names = "--tls-fingerprint", paramLabel = "SHA256", description = "pin the relay certificate's SHA-256")
        String fingerprint;

        @Option(names = "--slow-subscribers", defaultValue = "0",
                description = "extra, unmeasured subscribers that read the network 10 ms of every 200 ms through a 16 KiB socket buffer (raw QUIC only)")
        int slowSubscribers;

        @Option(names = "--relay-metrics", paramLabel = "URL",
                description = "the relay's internal /metrics (e.g. http://127.0.0.1:9090/metrics): reports its own forward delay")
        java.net.URI relayMetrics;

        @Override
        public Integer call() throws Exception {
            org.moqrelay.client.load.LoadOptions o = new org.moqrelay.client.load.LoadOptions(url,
                    new ClientOptions(insecure, fingerprint), publishers, subscribers, tracks, rateKBps, frameIntervalMs,
                    frameSize, groupFrames, seconds, warmupSeconds, drainMillis, relayPid, clientThreads,
                    connectConcurrency, connectTimeout, slowSubscribers, relayMetrics);
            // A hard bound on the whole run, whatever happens to the relay.
            long boundSeconds = connectTimeout + warmupSeconds + 10L + seconds + drainMillis / 1000 + 30;
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(boundSeconds * 1000);
                    System.out.println("error=run exceeded its " + boundSeconds + " s bound");
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                } catch (InterruptedException ignored) {
                }
            }, "moq-load-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            java.util.Map<String, String> r = new org.moqrelay.client.load.LoadTest(o, System.err).run();
            r.forEach((k, v) -> System.out.println(k + "=" + v));
            watchdog.interrupt();
            return Integer.parseInt(r.getOrDefault("subscribers_failed", "0")) == 0 ? 0 : 2;
        }
    }

    /** Runs {@code moq args}; returns the exit status (1 for a failure, 2 for bad usage). */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ClientCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("moq: " + describe(ex));
            return 1;
        });
        return cl.execute(args);
    }

    /** One line for a failure: the message of the exception a future wrapped, else its type. */
    static String describe(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.replace('\n', ' ');
    }

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
