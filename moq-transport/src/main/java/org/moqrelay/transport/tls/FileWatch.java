package org.moqrelay.transport.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reload when one of some files changes (by modification time), checked on a timer thread,
 * never an event loop. A reload that fails, often on a half-written file, is logged and tried again
 * at the next check; what was loaded before stays. Thread-safe.
 */
final class FileWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileWatch.class);

    private final List<Path> files;
    private final String what;
    private final Runnable reload;
    private List<FileTime> times;
    private ScheduledFuture<?> task;

    /** @param reload loads the files again; throws a RuntimeException when they are not usable */
    FileWatch(List<Path> files, String what, Runnable reload) {
        this.files = List.copyOf(files);
        this.what = what;
        this.reload = reload;
        this.times = mtimes();
    }

    /** Checks every {@code periodMillis} on {@code timer}. */
    synchronized FileWatch every(ScheduledExecutorService timer, long periodMillis) {
        task = timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reloads if a file changed since the last successful load (and all of them are there). */
    synchronized void check() {
        List<FileTime> now = mtimes();
        if (now.equals(times) || now.contains(null)) return;
        try {
            reload.run();
            times = now;
            log.info("reloaded {} from {}", what, files);
        } catch (RuntimeException e) {
            log.warn("could not reload {} from {}: {}", what, files, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) task.cancel(false);
    }

    private List<FileTime> mtimes() {
        List<FileTime> out = new ArrayList<>();
        for (Path p : files) {
            try {
                out.add(Files.getLastModifiedTime(p));
            } catch (Exception e) {
                out.add(null);
            }
        }
        return out;
    }
}
