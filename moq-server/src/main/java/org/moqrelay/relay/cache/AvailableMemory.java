package org.moqrelay.relay.cache;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * How many more bytes the relay could cache right now: the smaller of
 *
 * <ul>
 *   <li>the machine's available memory: in a container with a memory limit, that limit minus the
 *       container's usage (cgroup v2 {@code memory.max - memory.current}, or v1
 *       {@code memory.limit_in_bytes - memory.usage_in_bytes}); otherwise {@code MemAvailable} from
 *       {@code /proc/meminfo}, as the reference reads it;
 *   <li>what is left of the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, by default
 *       the heap's maximum). Cached payloads are Netty direct buffers, so this is the limit the
 *       cache actually runs into inside the JVM, whatever the machine has free.
 * </ul>
 *
 * The heap is not counted: the cache holds only small bookkeeping objects there, and the heap's
 * "used" includes garbage waiting for collection, which would make the cache breathe with GC
 * cycles.
 */
public final class AvailableMemory implements LongSupplier {
    private final Path cgroup;
    private final Path meminfo;

    /** Reads the real {@code /sys/fs/cgroup} and {@code /proc/meminfo}. */
    public AvailableMemory() {
        this(Path.of("/sys/fs/cgroup"), Path.of("/proc/meminfo"));
    }

    AvailableMemory(Path cgroup, Path meminfo) {
        this.cgroup = cgroup;
        this.meminfo = meminfo;
    }

    @Override
    public long getAsLong() {
        return Math.min(system(), directLeft());
    }

    /** The machine's (or container's) available memory in bytes. */
    long system() {
        long confined = cgroupFree();
        if (confined >= 0) return confined;
        long available = memAvailable();
        if (available >= 0) return available;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getFreeMemorySize();
    }

    /** The container's limit minus its usage, or -1 when there is no limit (or no cgroup files). */
    long cgroupFree() {
        // cgroup v2: "max" when unlimited.
        String max = read(cgroup.resolve("memory.max"));
        if (max != null) {
            long used = number(read(cgroup.resolve("memory.current")));
            if (max.equals("max") || used < 0) return -1;
            long limit = number(max);
            return limit < 0 ? -1 : Math.max(0, limit - used);
        }
        // cgroup v1: an "unlimited" limit is a huge number, beyond the machine's memory.
        long limit = number(read(cgroup.resolve("memory/memory.limit_in_bytes")));
        long used = number(read(cgroup.resolve("memory/memory.usage_in_bytes")));
        if (limit < 0 || used < 0 || limit >= physicalMemory()) return -1;
        return Math.max(0, limit - used);
    }

    /** {@code MemAvailable} in bytes, or -1 when the file or the line is missing. */
    long memAvailable() {
        return meminfo("MemAvailable:");
    }

    /** A {@code /proc/meminfo} line's value in bytes, or -1. */
    private long meminfo(String key) {
        String text = read(meminfo);
        if (text == null) return -1;
        for (String line : text.split("\n")) {
            if (!line.startsWith(key)) continue;
            String[] parts = line.substring(key.length()).trim().split("\\s+");
            long n = number(parts[0]);
            if (n < 0) return -1;
            return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? n * 1024 : n;
        }
        return -1;
    }

    /** The JVM's direct-memory limit minus the direct memory in use (Netty's own and the JDK's). */
    static long directLeft() {
        long max = PlatformDependent.maxDirectMemory();
        long used = Math.max(0, PlatformDependent.usedDirectMemory());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) used += Math.max(0, pool.getMemoryUsed());
        }
        return Math.max(0, max - used);
    }

    /** The machine's memory ({@code MemTotal}, which a container sees unchanged), or "huge" when unknown. */
    private long physicalMemory() {
        long total = meminfo("MemTotal:");
        return total > 0 ? total : 1L << 62;
    }

    private static String read(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p).trim() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long number(String s) {
        if (s == null) return -1;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
