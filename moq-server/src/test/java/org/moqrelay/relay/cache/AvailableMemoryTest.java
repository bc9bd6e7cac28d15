package org.moqrelay.relay.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where "available memory" comes from: cgroup v2, cgroup v1, /proc/meminfo, and the JVM. */
class AvailableMemoryTest {
    @TempDir
    Path dir;

    private Path meminfo(long totalKb, long availableKb) throws IOException {
        Path p = dir.resolve("meminfo");
        Files.writeString(p, "MemTotal:       " + totalKb + " kB\nMemFree:        1000 kB\nMemAvailable:   "
                + availableKb + " kB\nBuffers:          12 kB\n");
        return p;
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text + "\n");
        return p;
    }

    @Test
    void withoutACgroupLimitItIsMemAvailable() throws IOException {
        Path cg = dir.resolve("cgroup");
        file("cgroup/memory.max", "max");
        file("cgroup/memory.current", "123456");
        AvailableMemory m = new AvailableMemory(cg, meminfo(8_000_000, 6_000_000));
        assertThat(m.cgroupFree()).isEqualTo(-1);
        assertThat(m.system()).isEqualTo(6_000_000L * 1024);
    }

    @Test
    void aCgroupV2LimitIsTheLimitMinusTheUsage() throws IOException {
        Path cg = dir.resolve("cgroup");
        file("cgroup/memory.max", "1073741824");
        file("cgroup/memory.current", "73741824");
        AvailableMemory m = new AvailableMemory(cg, meminfo(8_000_000, 6_000_000));
        assertThat(m.system()).isEqualTo(1_000_000_000L);
    }

    @Test
    void aCgroupV1LimitCountsOnlyWhenBelowTheMachinesMemory() throws IOException {
        Path cg = dir.resolve("cgroup");
        file("cgroup/memory/memory.limit_in_bytes", "2000000000");
        file("cgroup/memory/memory.usage_in_bytes", "2100000000");
        AvailableMemory m = new AvailableMemory(cg, meminfo(8_000_000, 6_000_000));
        // Over the limit: nothing is available.
        assertThat(m.system()).isZero();

        file("cgroup/memory/memory.limit_in_bytes", "9223372036854771712");
        assertThat(m.system()).isEqualTo(6_000_000L * 1024);
    }

    @Test
    void noFilesAtAllFallBackToTheOperatingSystem() {
        AvailableMemory m = new AvailableMemory(dir.resolve("none"), dir.resolve("none"));
        assertThat(m.cgroupFree()).isEqualTo(-1);
        assertThat(m.memAvailable()).isEqualTo(-1);
        assertThat(m.system()).isPositive();
    }

    @Test
    void theResultNeverExceedsWhatIsLeftOfTheJvmsDirectMemory() throws IOException {
        AvailableMemory m = new AvailableMemory(dir.resolve("none"), meminfo(1L << 40, 1L << 40));
        assertThat(m.getAsLong()).isEqualTo(AvailableMemory.directLeft());
        assertThat(AvailableMemory.directLeft()).isPositive()
                .isLessThanOrEqualTo(io.netty.util.internal.PlatformDependent.maxDirectMemory());
    }
}
