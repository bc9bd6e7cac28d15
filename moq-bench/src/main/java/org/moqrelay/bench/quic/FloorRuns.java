package org.moqrelay.bench.quic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What both stack-floor programs set up and measure the same way. */
final class FloorRuns {
    private FloorRuns() {}

    /** Netty's sampled leak tracking off unless asked for, as the relay's own commands run (it costs stack traces). */
    static void leakTrackingOffByDefault() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
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
