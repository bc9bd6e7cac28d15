package org.moqrelay.client.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time, resident memory and thread count, read from {@code /proc/<pid>} (Linux).
 * CPU times are in clock ticks of 1/100 s (USER_HZ, 100 on every mainstream Linux).
 *
 * @param cpuMillis user + system CPU time
 * @param rssKb     VmRSS
 * @param hwmKb     VmHWM (peak RSS)
 * @param threads   Threads
 */
public record ProcStats(long cpuMillis, long rssKb, long hwmKb, int threads) {
    private static final long TICK_MILLIS = 10;

    /** Reads {@code /proc/<pid>}; {@code pid <= 0} means this process. Returns null if unreadable. */
    public static ProcStats read(long pid) {
        String dir = "/proc/" + (pid <= 0 ? "self" : Long.toString(pid));
        try {
            String stat = Files.readString(Path.of(dir, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // Fields after "(comm) ": state=0 ... utime=11 stime=12 (proc(5) fields 14 and 15).
            long cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MILLIS;
            long rss = 0, hwm = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of(dir, "status"))) {
                if (line.startsWith("VmRSS:")) rss = kb(line);
                else if (line.startsWith("VmHWM:")) hwm = kb(line);
                else if (line.startsWith("Threads:")) threads = (int) kb(line);
            }
            return new ProcStats(cpu, rss, hwm, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kb(String line) {
        String[] p = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(p[0]);
    }
}
