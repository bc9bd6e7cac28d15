package org.moqrelay.it.browser;

import java.time.Duration;
import java.util.Map;

/**
 * A test page running in its own headless Chromium: a {@link ResultServer.PageRun} plus the
 * {@link HeadlessChromium} showing it. Timeouts report the page log and the Chromium output tail.
 *
 * <pre>{@code
 * try (ResultServer server = ResultServer.start();
 *      BrowserPage sub = BrowserPage.open(server, "sub", Map.of("mode", "subscribe", "relay", relay, ...))) {
 *     PageResult r = sub.awaitResult(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class BrowserPage implements AutoCloseable {
    private final ResultServer.PageRun run;
    private final HeadlessChromium chromium;

    private BrowserPage(ResultServer.PageRun run, HeadlessChromium chromium) {
        this.run = run;
        this.chromium = chromium;
        run.onTimeout(() -> chromium.outputTail(30));
    }

    /** Registers a run with {@code params} (see page.js) and opens it in a new headless Chromium. */
    public static BrowserPage open(ResultServer server, String name, Map<String, String> params) {
        return open(server, name, params, false);
    }

    /** As {@link #open(ResultServer, String, Map)}, optionally with a Chromium net-log. */
    public static BrowserPage open(ResultServer server, String name, Map<String, String> params, boolean netLog) {
        return open(server, name, params, netLog, java.util.List.of());
    }

    /** As {@link #open(ResultServer, String, Map, boolean)}, with extra Chromium switches. */
    public static BrowserPage open(ResultServer server, String name, Map<String, String> params, boolean netLog,
                                   java.util.List<String> chromiumArgs) {
        BrowserSupport.requireBrowser();
        ResultServer.PageRun run = server.newRun(name, params);
        HeadlessChromium.Builder b = HeadlessChromium.builder(run.url()).name(run.id()).logDir(server.logDir());
        if (netLog) b.netLog(true);
        chromiumArgs.forEach(b::arg);
        return new BrowserPage(run, b.launch());
    }

    public ResultServer.PageRun run() {
        return run;
    }

    public HeadlessChromium chromium() {
        return chromium;
    }

    public Map<String, Object> awaitEvent(String name, Duration timeout) {
        return run.awaitEvent(name, timeout);
    }

    public PageResult awaitResult(Duration timeout) {
        return run.awaitResult(timeout);
    }

    /** Tells the page to stop (publish mode then closes its broadcast and posts its result). */
    public void stop() {
        run.stop();
    }

    /** Page log and Chromium output tail, for assertion messages. */
    public String diagnostics() {
        return run.describeLogs() + chromium.outputTail(30);
    }

    @Override
    public void close() {
        chromium.close();
    }
}
