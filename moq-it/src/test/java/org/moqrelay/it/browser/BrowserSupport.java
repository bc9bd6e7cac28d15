package org.moqrelay.it.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Locations and preconditions for the browser tests. Call {@link #requireBrowser()} first in a test:
 * a missing Chromium fails the test when {@code CI=true} and skips it (assumption) otherwise; a missing
 * bundle always fails, because Maven builds it ({@code generate-test-resources}).
 *
 * <p>System properties (set by moq-it's surefire config): {@code moq.it.bundle}, {@code moq.it.jsDir},
 * {@code moq.it.logDir}, {@code moq.it.netlog}. Environment: {@code CHROMIUM}, {@code CI}, {@code MOQ_IT_NETLOG}.
 */
public final class BrowserSupport {
    private BrowserSupport() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (CI) or skips (locally) without Chromium, fails without the bundle. */
    public static void requireBrowser() {
        chromium();
        bundle();
    }

    /** {@code $CHROMIUM}, else {@code /usr/bin/chromium}; fails (CI) or aborts (locally) when not executable. */
    public static Path chromium() {
        String env = System.getenv("CHROMIUM");
        Path exe = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
        if (!Files.isExecutable(exe)) {
            String msg = "headless Chromium not found at " + exe
                    + " (install it with 'apt-get install -y chromium' as .ci/run does, or set CHROMIUM=/path/to/chromium)";
            if (ci()) Assertions.fail(msg + "; CI=true, so this is a failure, not a skip");
            Assumptions.abort(msg + "; skipping because CI is not set");
        }
        return exe;
    }

    /** The esbuild bundle of src/test/js/src/page.js; fails when it is missing. */
    public static Path bundle() {
        Path b = Path.of(System.getProperty("moq.it.bundle", "target/js/page.bundle.js")).toAbsolutePath();
        if (!Files.isRegularFile(b)) {
            Assertions.fail("test page bundle missing: " + b + " (it is built by './mvnw -pl moq-it generate-test-resources',"
                    + " i.e. 'bash moq-it/src/test/js/prepare.sh'; needs node and npm)");
        }
        return b;
    }

    /** moq-it/src/test/js (package.json, node_modules, node/ scripts). */
    public static Path jsDir() {
        return Path.of(System.getProperty("moq.it.jsDir", "src/test/js")).toAbsolutePath();
    }

    /** Where Chromium output, page logs and net-logs go (target/browser-logs). */
    public static Path logDir() {
        Path d = Path.of(System.getProperty("moq.it.logDir", "target/browser-logs")).toAbsolutePath();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    static boolean netLogRequested() {
        String env = System.getenv("MOQ_IT_NETLOG");
        return Boolean.getBoolean("moq.it.netlog") || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    /** The @moq/net version installed in node_modules (what the bundle contains). */
    public static String installedMoqNetVersion() {
        Path pkg = jsDir().resolve("node_modules/@moq/net/package.json");
        try {
            Map<String, Object> json = Json.parseObject(Files.readString(pkg));
            return String.valueOf(json.get("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pkg, e);
        }
    }
}
