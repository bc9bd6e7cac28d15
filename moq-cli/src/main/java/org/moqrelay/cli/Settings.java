package org.moqrelay.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Merges the TOML file, {@code MOQ_*} environment variables and flags into a {@link RelayConfig}:
 * flag over environment over file. A flag left unset never overwrites a file value.
 */
final class Settings {
    /** Keys this relay understands; anything else in the file stops start-up. */
    private static final Set<String> KNOWN = Set.of(
            "log", "log.level",
            "server", "server.bind", "server.listen", "server.tls", "server.tls.cert", "server.tls.key",
            "server.tls.generate", "server.tls.root", "server.tcp", "server.tcp.bind",
            "web", "web.http", "web.http.listen",
            "auth", "auth.public", "auth.public.subscribe", "auth.public.publish", "auth.key", "auth.key_dir",
            "cluster", "cluster.linger", "cluster.id");

    private Settings() {}

    static RelayConfig load(Path file, RelayCommand flags, Map<String, String> env) throws IOException {
        TomlTable toml = file == null ? null : parse(file);
        String bind = first(flags.serverBind, env.get("MOQ_SERVER_BIND"), str(toml, "server.bind"), str(toml, "server.listen"), "[::]:443");
        String cert = first(path(flags.tlsCert), env.get("MOQ_SERVER_TLS_CERT"), str(toml, "server.tls.cert"), null);
        String key = first(path(flags.tlsKey), env.get("MOQ_SERVER_TLS_KEY"), str(toml, "server.tls.key"), null);
        List<String> generate = firstList(flags.tlsGenerate, csv(env.get("MOQ_SERVER_TLS_GENERATE")), list(toml, "server.tls.generate"));
        String web = first(flags.webHttpListen, env.get("MOQ_WEB_HTTP_LISTEN"), str(toml, "web.http.listen"), null);
        AuthConfig auth = auth(flags, env, toml);
        String linger = first(flags.linger, env.get("MOQ_CLUSTER_LINGER"), str(toml, "cluster.linger"), "5s");
        Long id = flags.clusterId != null ? flags.clusterId
                : env.containsKey("MOQ_CLUSTER_ID") ? Long.valueOf(env.get("MOQ_CLUSTER_ID"))
                : toml != null && toml.isLong("cluster.id") ? toml.getLong("cluster.id") : Long.valueOf(0);
        String tlsRoot = first(path(flags.tlsRoot), env.get("MOQ_SERVER_TLS_ROOT"), str(toml, "server.tls.root"), null);
        String tcp = first(flags.tcpBind, env.get("MOQ_SERVER_TCP_BIND"), str(toml, "server.tcp.bind"), null);
        String level = first(flags.logLevel, env.get("MOQ_LOG_LEVEL"), str(toml, "log.level"), "info");
        Logging.setLevel(level);
        return new RelayConfig(Addresses.parse("server.bind", bind),
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key), generate,
                web == null ? null : Addresses.parse("web.http.listen", web), auth,
                Durations.parseMillis("cluster.linger", linger), id,
                tcp == null ? null : Addresses.parse("server.tcp.bind", tcp), tlsRoot == null ? null : Path.of(tlsRoot));
    }

    /** auth.public is a string, a list, or a table with subscribe / publish lists (relay.md §5.5). */
    private static AuthConfig auth(RelayCommand flags, Map<String, String> env, TomlTable toml) {
        String key = first(flags.authKey, env.get("MOQ_AUTH_KEY"), str(toml, "auth.key"), null);
        String keyDir = first(flags.authKeyDir, env.get("MOQ_AUTH_KEY_DIR"), str(toml, "auth.key_dir"), null);
        List<String> both = firstList(flags.authPublic, csv(env.get("MOQ_AUTH_PUBLIC")),
                toml != null && toml.isTable("auth.public") ? null : list(toml, "auth.public"));
        List<String> sub = firstList(flags.authPublicSubscribe, csv(env.get("MOQ_AUTH_PUBLIC_SUBSCRIBE")),
                toml != null && toml.isTable("auth.public") ? list(toml, "auth.public.subscribe") : null);
        List<String> pub = firstList(flags.authPublicPublish, csv(env.get("MOQ_AUTH_PUBLIC_PUBLISH")),
                toml != null && toml.isTable("auth.public") ? list(toml, "auth.public.publish") : null);
        return new AuthConfig(key, keyDir, sub, pub).withPublic(both == null ? List.of() : both);
    }

    private static TomlTable parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("config file not found: " + file);
        TomlParseResult r = Toml.parse(file);
        if (r.hasErrors()) {
            var e = r.errors().get(0);
            throw new IllegalArgumentException(file + ":" + e.position().line() + ": " + e.getMessage());
        }
        for (String k : r.dottedKeySet(true)) {
            if (!KNOWN.contains(k)) {
                var pos = r.inputPositionOf(k);
                throw new IllegalArgumentException(file + (pos == null ? "" : ":" + pos.line())
                        + ": unknown or unsupported key '" + k + "'");
            }
        }
        return r;
    }

    private static String path(Path p) {
        return p == null ? null : p.toString();
    }

    private static String str(TomlTable t, String key) {
        if (t == null || !t.contains(key)) return null;
        Object v = t.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("config key '" + key + "' must be a string, got: " + v);
        }
        return s;
    }

    private static List<String> list(TomlTable t, String key) {
        if (t == null || !t.contains(key)) return null;
        Object v = t.get(key);
        if (v instanceof String s) return List.of(s);
        if (v instanceof TomlArray a) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) out.add(String.valueOf(a.get(i)));
            return out;
        }
        throw new IllegalArgumentException("config key '" + key + "' must be a string or a list of strings");
    }

    private static List<String> csv(String s) {
        return s == null ? null : List.of(s.split(","));
    }

    @SafeVarargs
    private static List<String> firstList(List<String>... options) {
        for (List<String> o : options) if (o != null) return o;
        return null;
    }

    private static String first(String... options) {
        for (String o : options) if (o != null) return o;
        return null;
    }

    /** Parses {@code 5s}, {@code 500ms}, {@code 2m} or a bare number of seconds. */
    static final class Durations {
        static long parseMillis(String key, String s) {
            try {
                String t = s.trim();
                if (t.endsWith("ms")) return Long.parseLong(t.substring(0, t.length() - 2));
                if (t.endsWith("s")) return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
                if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))).toMillis();
                return (long) (Double.parseDouble(t) * 1000);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": bad duration '" + s + "' (expected e.g. 5s, 500ms)");
            }
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code :port}. */
    static final class Addresses {
        static InetSocketAddress parse(String key, String s) {
            int colon = s.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException(key + ": expected HOST:PORT, got '" + s + "'");
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = "::";
            try {
                return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": bad address '" + s + "'");
            }
        }
    }
}
