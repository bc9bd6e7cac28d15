package org.moqrelay.bench.quic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's user + system CPU time, from /proc (as quinn-fanout reads its own). */
final class CpuClock {
    private CpuClock() {}

    static double seconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ = 100
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
