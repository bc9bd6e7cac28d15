package org.moqrelay.transport.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Watches a certificate and key pair on disk and, when either changes, loads them into a
 * {@link ReloadingKeyManager} (certificate renewals need no restart). Runs on a timer thread,
 * never on an event loop; a broken pair is logged and the old certificate stays. Thread-safe.
 */
public final class CertificateReloader implements AutoCloseable {
    private final FileWatch watch;

    public CertificateReloader(Path cert, Path key, ReloadingKeyManager target, ScheduledExecutorService timer,
                               long periodMillis) {
        this.watch = new FileWatch(List.of(cert, key), "the TLS certificate", () -> target.set(Certificates.load(cert, key)))
                .every(timer, periodMillis);
    }

    /** Reloads if either file changed since the last look; public so tests need not wait. */
    public void check() {
        watch.check();
    }

    @Override
    public void close() {
        watch.close();
    }
}
