package org.moqrelay.bench.quic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** What the stack-floor programs set up and measure the same way. */
public final class FloorRuns {
    private FloorRuns() {}

    /** A fan-out server's arguments, as quinn-fanout's {@code fanout-server PORT RATE_KBPS SECS} takes them, plus its loops. */
    public record ServerArgs(int port, int rateKbps, int seconds, int threads) {
        /** Parses {@code PORT RATE_KBPS SECS [THREADS]} (threads: one per core); exits 64 with a usage line if short. */
        public static ServerArgs parse(String program, String[] args) {
            if (args.length < 3) {
                System.err.println("usage: " + program + " PORT RATE_KBPS SECS [THREADS]");
                System.exit(64);
            }
            return new ServerArgs(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors());
        }

        /** Bytes of one chunk: RATE_KBPS kB/s as 50 chunks a second. */
        public int chunkBytes() {
            return rateKbps * 1000 / 50;
        }
    }

    /** One report: seconds since the start, MB/s and CPU % over the last period, bytes so far. */
    @FunctionalInterface
    public interface Line {
        String format(double elapsedSeconds, double megabytesPerSecond, double cpuPercent, long totalBytes);
    }

    /** Netty's sampled leak tracking off unless asked for, as the relay's own commands run (it costs stack traces). */
    public static void leakTrackingOffByDefault() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Prints {@code line} every 5 s for {@code seconds}, as quinn-fanout reports (bench/stack-floor.sh reads it). */
    public static void reportEveryFiveSeconds(int seconds, LongSupplier bytes, Line line) throws InterruptedException {
        long start = System.nanoTime();
        long last = start;
        long lastBytes = bytes.getAsLong();
        double lastCpu = cpuSeconds();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            Thread.sleep(5_000);
            long now = System.nanoTime();
            long total = bytes.getAsLong();
            double cpu = cpuSeconds();
            double dt = (now - last) / 1e9;
            System.out.println(line.format((now - start) / 1e9, (total - lastBytes) / dt / 1e6, 100 * (cpu - lastCpu) / dt, total));
            last = now;
            lastBytes = total;
            lastCpu = cpu;
        }
    }

    /** This process's user + system CPU time, from /proc, as quinn-fanout reads its own. */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ = 100
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
