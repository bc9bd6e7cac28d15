package org.moqrelay.it.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.moqrelay.it.browser.BrowserSupport;

/**
 * Preconditions for the Node client tests. {@link #requireNode()} fails the test when {@code CI=true}
 * and Node.js is missing (skips it otherwise); missing npm packages always fail, because Maven installs
 * them ({@code generate-test-resources}, {@code src/test/js/prepare.sh}).
 *
 * <p>Environment: {@code NODE} (the node executable, default {@code node} on the PATH), {@code CI}.
 */
public final class NodeSupport {
    private static volatile String checkedVersion;

    private NodeSupport() {
    }

    /** The node executable: {@code $NODE}, else {@code node} from the PATH. */
    public static String executable() {
        String env = System.getenv("NODE");
        return env != null && !env.isBlank() ? env : "node";
    }

    /**
     * Checks (once per JVM) that {@code node --version} runs and is >= 18, and that
     * {@code src/test/js/node_modules/@moq/net} exists. Returns the Node version.
     */
    public static String requireNode() {
        String v = checkedVersion;
        if (v == null) {
            v = probe();
            checkedVersion = v;
        }
        Path js = BrowserSupport.jsDir();
        if (!Files.isDirectory(js.resolve("node_modules/@moq/net")) || !Files.isRegularFile(js.resolve("node/run.mjs"))) {
            Assertions.fail("npm packages or node/run.mjs missing in " + js
                    + " (Maven installs them in generate-test-resources; by hand: bash moq-it/src/test/js/prepare.sh)");
        }
        return v;
    }

    private static String probe() {
        String exe = executable();
        String problem;
        try {
            Process p = new ProcessBuilder(exe, "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return unavailable("'" + exe + " --version' did not finish within 15 s");
                }
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (p.exitValue() == 0 && out.matches("v\\d+\\..*")) {
                int major = Integer.parseInt(out.substring(1, out.indexOf('.')));
                if (major >= 18) return out;
                problem = "Node.js >= 18 needed, '" + exe + "' is " + out;
            } else {
                problem = "'" + exe + " --version' exited with " + p.exitValue() + ": " + out;
            }
        } catch (IOException e) {
            problem = "cannot run '" + exe + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while probing node", e);
        }
        return unavailable(problem);
    }

    private static String unavailable(String problem) {
        String msg = problem + " (install Node.js >= 18, e.g. 'apt-get install -y nodejs npm', or set NODE=/path/to/node)";
        if (BrowserSupport.ci()) Assertions.fail(msg + "; CI=true, so this is a failure, not a skip");
        Assumptions.abort(msg + "; skipping because CI is not set");
        return null; // not reached
    }
}
