package org.moqrelay.it.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an unpacked image's command as a container runtime would, without one and without root:
 * in new user, mount and PID namespaces (util-linux {@code unshare}), with {@code /proc} and the
 * usual devices mounted, the image's environment only, its user and group ids, and the root
 * directory changed to the image. The network stays the host's, so its ports are on 127.0.0.1.
 */
public final class Sandbox {
    private static final String DEVICES = "null zero random urandom";

    // Runs as root of the outer user namespace: mounts, then a nested user namespace that maps
    // that root to the image's user, chroots and executes the command there, without capabilities.
    private static final String SCRIPT = """
            root="$1"; shift
            for d in %s; do mount --bind "/dev/$d" "$root/dev/$d"; done
            mount -t proc proc "$root/proc"
            exec env -i "$@"
            """.formatted(DEVICES);

    private Sandbox() {}

    /** Null when this machine can run a sandbox, else why it cannot (no unshare, user namespaces off). */
    public static String unavailableReason() {
        Path unshare = unshare();
        if (unshare == null) return "util-linux 'unshare' is not on the PATH";
        try {
            Process p = new ProcessBuilder(unshare.toString(), "--user", "--map-root-user", "--mount", "--pid", "--fork",
                    "true").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'unshare --user' did not finish within 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : "user namespaces are not available here ('unshare --user' says: " + out + ")";
        } catch (IOException e) {
            return "'unshare' did not start: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Starts {@code command} (absolute path inside the image, then its arguments) in {@code root}
     * as {@code uid:gid} with only {@code env} ("NAME=value"); output and errors are merged.
     * The returned process is the outer {@code unshare}; its one child becomes the command.
     */
    public static Process start(Path root, int uid, int gid, List<String> env, List<String> command) throws IOException {
        Path unshare = unshare();
        if (unshare == null) throw new IOException("util-linux 'unshare' is not on the PATH");
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        for (String d : DEVICES.split(" ")) {
            Path mountPoint = root.resolve("dev").resolve(d);
            if (!Files.exists(mountPoint)) Files.createFile(mountPoint);
        }
        List<String> cmd = new ArrayList<>(List.of(unshare.toString(), "--user", "--map-root-user", "--mount", "--pid",
                "--fork", "--kill-child", "sh", "-c", SCRIPT, "sh", root.toString()));
        cmd.addAll(env);
        cmd.addAll(List.of(unshare.toString(), "--user", "--map-user=" + uid, "--map-group=" + gid,
                "--root=" + root, "--wd=/"));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static Path unshare() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "unshare");
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, "unshare");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
