package org.moqrelay.transport.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a certificate and key pair on disk and, when either changes, loads them into a
 * {@link ReloadingKeyManager} (certificate renewals need no restart). Runs on a timer thread,
 * never on an event loop; a broken pair is logged and the old certificate stays. Thread-safe.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);
    private final Path cert;
    private final Path key;
    private final ReloadingKeyManager target;
    private final ScheduledFuture<?> task;
    private FileTime certTime;
    private FileTime keyTime;

    public CertificateReloader(Path cert, Path key, ReloadingKeyManager target, ScheduledExecutorService timer,
                               long periodMillis) {
        this.cert = cert;
        this.key = key;
        this.target = target;
        this.certTime = mtime(cert);
        this.keyTime = mtime(key);
        this.task = timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (Exception e) {
            return null;
        }
    }

    /** Reloads if either file changed since the last look; public so tests need not wait. */
    public synchronized void check() {
        FileTime c = mtime(cert);
        FileTime k = mtime(key);
        if (c == null || k == null || (c.equals(certTime) && k.equals(keyTime))) return;
        try {
            CertificateBundle b = Certificates.load(cert, key);
            target.set(b);
            certTime = c;
            keyTime = k;
            log.info("reloaded TLS certificate from {}: sha256 {}", cert, b.sha256Hex());
        } catch (RuntimeException e) {
            // Often a half-written renewal: keep the old pair and try again on the next tick.
            log.warn("could not reload TLS certificate {} / {}: {}", cert, key, e.getMessage());
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
