package org.moqrelay.cli;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.moqrelay.relay.auth.AuthDomains;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.CacheConfig;
import org.moqrelay.relay.server.WebHttpsConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.UnixSocketConfig;
import org.moqrelay.transport.qmux.unix.PeerAllowlist;
import org.moqrelay.token.AuthApi;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Merges the TOML file, {@code MOQ_*} environment variables and flags into a {@link RelayConfig}:
 * flag over environment over file, per setting. A flag or variable that is not given never
 * overwrites a file value. Every problem is a {@link ConfigException} whose one-line message names
 * the key (with its line), flag or variable:
 *
 * <ul>
 *   <li>{@code FILE: unknown key 'x' at line N} for keys the reference relay does not have either;
 *   <li>{@code FILE: key 'x' at line N is not supported yet (feature)} — and likewise
 *       {@code --flag is not supported yet (...)}, {@code MOQ_VAR is not supported yet (...)} — for
 *       features of the reference this relay lacks ({@link Keys#UNSUPPORTED});
 *   <li>{@code FILE: key 'x' at line N: problem}, {@code --flag: problem}, {@code MOQ_VAR: problem}
 *       for bad values.
 * </ul>
 *
 * The file is checked from top to bottom, so its first bad key is the one reported.
 */
final class Settings {
    /** What start-up needs: the relay's config and the log level. */
    record Loaded(RelayConfig relay, Level logLevel) {}

    /** A setting's value and where it came from ({@code raw}: a TOML value, or the flag's / variable's text). */
    private record Value(Origin from, String origin, Object raw) {}

    private enum Origin { FLAG, ENV, FILE }

    private final Path file;
    private final TomlParseResult toml;
    private final RelayCommand flags;
    private final Map<String, String> env;
    /** The parser of every supported key with a value (auth.public's table form is handled separately). */
    private final Map<String, Function<Value, ?>> parsers = new HashMap<>();

    private Settings(Path file, RelayCommand flags, Map<String, String> env) {
        this.file = file;
        this.flags = flags;
        this.env = env;
        this.toml = file == null ? null : parse(file);
        parsers.put("log.level", this::level);
        parsers.put("server.bind", this::address);
        parsers.put("server.listen", this::address);
        parsers.put("server.tls.cert", v -> strings(v, false));
        parsers.put("server.tls.key", v -> strings(v, false));
        parsers.put("server.tls.generate", v -> strings(v, true));
        parsers.put("server.tls.root", v -> strings(v, true));
        parsers.put("server.tcp.bind", this::address);
        parsers.put("server.unix.bind", this::socketPath);
        parsers.put("server.unix.allow.uid", v -> ids(v, 0xffff_ffffL));
        parsers.put("server.unix.allow.gid", v -> ids(v, 0xffff_ffffL));
        parsers.put("server.unix.allow.pid", v -> ids(v, Integer.MAX_VALUE));
        parsers.put("web.http.listen", this::address);
        parsers.put("auth.key", this::string);
        parsers.put("auth.key_dir", this::string);
        parsers.put("auth.public", this::publicPrefixes);
        parsers.put("auth.public.subscribe", v -> strings(v, false));
        parsers.put("auth.public.publish", v -> strings(v, false));
        parsers.put("auth.auth_api", this::authApi);
        parsers.put("auth.domains", this::domains);
        parsers.put("auth.mtls_tier", this::string);
        parsers.put("cluster.tier", this::string);
        parsers.put("cluster.id", this::clusterId);
        parsers.put("cluster.linger", this::millis);
        parsers.put("internal.listen", this::address);
        parsers.put("web.https.listen", this::address);
        parsers.put("web.https.cert", this::string);
        parsers.put("web.https.key", this::string);
        parsers.put("web.https.root", v -> strings(v, true));
        parsers.put("cache.capacity", this::bytes);
        parsers.put("cache.headroom", this::headroom);
        parsers.put("cache.duration", this::millis);
        parsers.put("server.quic.congestion_control", this::congestionControl);
        parsers.put("server.quic.gso", this::bool);
        parsers.put("server.quic.mtu_discovery", this::bool);
        parsers.put("server.quic.max_streams", this::maxStreams);
        parsers.put("server.quic.idle_timeout", this::millis);
        parsers.put("server.quic.threads", this::threads);
        parsers.put("file", v -> v.raw);
    }

    /**
     * Loads the settings.
     *
     * @param file  the TOML file, or null
     * @param flags the parsed command line ({@link RelayCommand#parse})
     * @param env   the environment (only {@code MOQ_*} names are read)
     */
    static Loaded load(Path file, RelayCommand flags, Map<String, String> env) {
        return new Settings(file, flags, env).resolve();
    }

    private Loaded resolve() {
        checkFile();
        checkUnsupported();

        Value bindV = pick(flags.serverBind, "--server-bind", "MOQ_SERVER_BIND", "server.bind", "server.listen");
        Value tcpV = pick(flags.tcpBind, "--server-tcp-bind", "MOQ_SERVER_TCP_BIND", "server.tcp.bind");
        InetSocketAddress tcp = tcpV == null ? null : address(tcpV);
        if (bindV == null && tcp != null) {
            throw new ConfigException(tcpV.origin + ": a relay without QUIC (server.tcp.bind without server.bind)"
                    + " is not supported yet; set server.bind too");
        }
        UnixSocketConfig unix = unix();
        if (bindV == null && unix != null) {
            throw new ConfigException(pick(flags.unixBind, "--server-unix-bind", "MOQ_SERVER_UNIX_BIND", "server.unix.bind").origin
                    + ": a relay without QUIC (server.unix.bind without server.bind) is not supported yet; set server.bind too");
        }
        InetSocketAddress bind = bindV == null ? new InetSocketAddress("::", 443) : address(bindV);

        List<String> certs = list(pick(flags.tlsCert, "--tls-cert", "MOQ_SERVER_TLS_CERT", "server.tls.cert"), false);
        List<String> keys = list(pick(flags.tlsKey, "--tls-key", "MOQ_SERVER_TLS_KEY", "server.tls.key"), false);
        if (certs.size() != keys.size()) {
            throw new ConfigException("server.tls.cert and server.tls.key (--tls-cert / --tls-key) must be given"
                    + " together, one key per certificate (got " + certs.size() + " and " + keys.size() + ")");
        }
        if (certs.size() > 1) {
            throw new ConfigException("server.tls.cert: more than one certificate (selected by SNI) is not supported yet");
        }
        List<String> generate = list(pick(flags.tlsGenerate, "--tls-generate", "MOQ_SERVER_TLS_GENERATE",
                "server.tls.generate"), true);
        if (certs.isEmpty() && generate.isEmpty()) {
            throw new ConfigException("no TLS certificate: set server.tls.cert and server.tls.key (--tls-cert, --tls-key)"
                    + " or server.tls.generate (--tls-generate HOSTNAMES)");
        }
        List<String> roots = list(pick(flags.tlsRoot, "--server-tls-root", "MOQ_SERVER_TLS_ROOT", "server.tls.root"), true);
        if (roots.size() > 1) {
            throw new ConfigException("server.tls.root: more than one CA file is not supported yet"
                    + " (put all the CA certificates in one PEM file)");
        }

        Value webV = pick(flags.webHttpListen, "--web-http-listen", "MOQ_WEB_HTTP_LISTEN", "web.http.listen");
        AuthConfig auth = auth(!roots.isEmpty());
        Value lingerV = pick(flags.linger, "--cluster-linger", "MOQ_CLUSTER_LINGER", "cluster.linger");
        Value idV = pick(flags.clusterId, "--cluster-id", "MOQ_CLUSTER_ID", "cluster.id");
        Value levelV = pick(flags.logLevel, "--log-level", "MOQ_LOG_LEVEL", "log.level");
        Value httpsV = pick(flags.webHttpsListen, "--web-https-listen", "MOQ_WEB_HTTPS_LISTEN", "web.https.listen");
        Value httpsCertV = pick(flags.webHttpsCert, "--web-https-cert", "MOQ_WEB_HTTPS_CERT", "web.https.cert");
        Value httpsKeyV = pick(flags.webHttpsKey, "--web-https-key", "MOQ_WEB_HTTPS_KEY", "web.https.key");
        if ((httpsCertV == null) != (httpsKeyV == null)) {
            throw new ConfigException("web.https.cert and web.https.key (--web-https-cert / --web-https-key) must be given together");
        }
        if (httpsV == null && httpsCertV != null) {
            throw new ConfigException("web.https.cert is set but web.https.listen (--web-https-listen) is not");
        }
        Value httpsRootV = pick(flags.webHttpsRoot, "--web-https-root", "MOQ_WEB_HTTPS_ROOT", "web.https.root");
        List<Path> httpsRoots = list(httpsRootV, true).stream().map(Path::of).toList();
        if (httpsV == null && !httpsRoots.isEmpty()) {
            throw new ConfigException(httpsRootV.origin + ": web.https.root is set but web.https.listen (--web-https-listen) is not");
        }
        Value internalV = pick(flags.internalListen, "--internal-listen", "MOQ_INTERNAL_LISTEN", "internal.listen");
        Value capacityV = pick(flags.cacheCapacity, "--cache-capacity", "MOQ_CACHE_CAPACITY", "cache.capacity");
        Value clusterTierV = pick(flags.clusterTier, "--cluster-tier", "MOQ_CLUSTER_TIER", "cluster.tier");
        Value durationV = pick(flags.cacheDuration, "--cache-duration", "MOQ_CACHE_DURATION", "cache.duration");
        Value headroomV = pick(flags.cacheHeadroom, "--cache-headroom", "MOQ_CACHE_HEADROOM", "cache.headroom");

        QuicTransportConfig quic = quic();
        Value threadsV = pick(flags.quicThreads, "--server-quic-threads", "MOQ_SERVER_QUIC_THREADS", "server.quic.threads");

        RelayConfig relay;
        try {
            relay = RelayConfig.builder(bind)
                    .tlsCert(certs.isEmpty() ? null : Path.of(certs.get(0)))
                    .tlsKey(keys.isEmpty() ? null : Path.of(keys.get(0)))
                    .tlsGenerate(generate)
                    .webHttpListen(webV == null ? null : address(webV))
                    .auth(auth)
                    .lingerMillis(lingerV == null ? RelayConfig.DEFAULT_LINGER_MILLIS : millis(lingerV))
                    .clusterId(idV == null ? 0 : clusterId(idV))
                    .tcpBind(tcp)
                    .tlsRoot(roots.isEmpty() ? null : Path.of(roots.get(0)))
                    .internalListen(internalV == null ? null : address(internalV))
                    .webHttps(httpsV == null ? null : new WebHttpsConfig(address(httpsV),
                            httpsCertV == null ? null : Path.of(string(httpsCertV)),
                            httpsKeyV == null ? null : Path.of(string(httpsKeyV)), httpsRoots))
                    .cache(new CacheConfig(capacityV == null ? Long.MAX_VALUE : bytes(capacityV),
                            durationV == null ? Long.MAX_VALUE : millis(durationV), headroomV == null ? 0 : headroom(headroomV)))
                    .quic(quic)
                    .clusterTier(clusterTierV == null ? null : string(clusterTierV))
                    .unix(unix)
                    .quicThreads(threadsV == null ? 0 : threads(threadsV))
                    .build();
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new ConfigException(e.getMessage());
        }
        return new Loaded(relay, levelV == null ? Level.INFO : level(levelV));
    }

    /**
     * {@code [server.unix]}: the socket file and the peer allowlist, or null without a socket. As in the
     * reference, each allowlist field is picked on its own (flag, variable, file), and an allowlist
     * without a socket does nothing.
     */
    private UnixSocketConfig unix() {
        Value bindV = pick(flags.unixBind, "--server-unix-bind", "MOQ_SERVER_UNIX_BIND", "server.unix.bind");
        List<Long> uids = ids(pick(flags.unixAllowUid, "--server-unix-allow-uid", "MOQ_SERVER_UNIX_ALLOW_UID",
                "server.unix.allow.uid"), 0xffff_ffffL);
        List<Long> gids = ids(pick(flags.unixAllowGid, "--server-unix-allow-gid", "MOQ_SERVER_UNIX_ALLOW_GID",
                "server.unix.allow.gid"), 0xffff_ffffL);
        List<Integer> pids = ids(pick(flags.unixAllowPid, "--server-unix-allow-pid", "MOQ_SERVER_UNIX_ALLOW_PID",
                "server.unix.allow.pid"), Integer.MAX_VALUE).stream().map(Long::intValue).toList();
        return bindV == null ? null : new UnixSocketConfig(socketPath(bindV), new PeerAllowlist(uids, gids, pids));
    }

    /** A socket file's path. */
    private Path socketPath(Value v) {
        String s = string(v);
        if (s.isBlank()) throw bad(v, "empty path (expected the socket file, e.g. /run/moq/relay.sock)");
        try {
            return Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(v, "bad path '" + s + "': " + e.getMessage());
        }
    }

    /**
     * Ids from 0 to {@code max}: an array of integers in the file, repeated or comma-separated flags, a
     * comma list in a variable (the reference's value_delimiter). Null gives the empty list (anyone).
     */
    private List<Long> ids(Value v, long max) {
        if (v == null) return List.of();
        List<Object> items = new ArrayList<>();
        if (v.raw instanceof TomlArray a) {
            for (int i = 0; i < a.size(); i++) items.add(a.get(i));
        } else if (v.raw instanceof List<?> l) {
            items.addAll(l);
        } else if (v.raw instanceof String s && v.from == Origin.ENV) {
            items.addAll(List.of(s.split(",", -1)));
        } else {
            throw bad(v, "expected an array of integers, got " + describe(v.raw));
        }
        List<Long> out = new ArrayList<>();
        for (Object item : items) {
            long id;
            if (item instanceof Long l) {
                id = l;
            } else if (item instanceof String s && v.from != Origin.FILE) {
                try {
                    id = Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw bad(v, "bad integer '" + s + "'");
                }
            } else {
                throw bad(v, "expected an array of integers, got " + describe(item) + " in the array");
            }
            if (id < 0 || id > max) throw bad(v, id + " is out of range (expected 0 to " + max + ")");
            out.add(id);
        }
        return out;
    }

    /**
     * auth.key / auth.key_dir, and the public prefixes; or auth.auth_api instead of all of them. As in the
     * reference, {@code --auth-public} (or MOQ_AUTH_PUBLIC) replaces the file's whole {@code auth.public}
     * (string, array or table), while {@code --auth-public-subscribe} / {@code --auth-public-publish} add to it.
     * auth.domains and auth.mtls_tier apply either way.
     */
    private AuthConfig auth(boolean mtls) {
        Value keyV = pick(flags.authKey, "--auth-key", "MOQ_AUTH_KEY", "auth.key");
        Value dirV = pick(flags.authKeyDir, "--auth-key-dir", "MOQ_AUTH_KEY_DIR", "auth.key_dir");
        if (keyV != null && dirV != null) {
            throw new ConfigException("auth.key and auth.key_dir cannot both be set (" + keyV.origin + "; " + dirV.origin + ")");
        }
        List<String> subscribe = new ArrayList<>();
        List<String> publish = new ArrayList<>();
        List<String> publicOrigins = new ArrayList<>();
        Value pubV = pick(flags.authPublic, "--auth-public", "MOQ_AUTH_PUBLIC", "auth.public");
        if (pubV != null && pubV.raw instanceof TomlTable) {
            subscribe.addAll(list(fileValue("auth.public.subscribe"), false));
            publish.addAll(list(fileValue("auth.public.publish"), false));
        } else if (pubV != null) {
            List<String> both = publicPrefixes(pubV);
            subscribe.addAll(both);
            publish.addAll(both);
        }
        if (pubV != null && !(subscribe.isEmpty() && publish.isEmpty())) publicOrigins.add(pubV.origin);
        Value pubSubV = pick(flags.authPublicSubscribe, "--auth-public-subscribe", "MOQ_AUTH_PUBLIC_SUBSCRIBE");
        Value pubPubV = pick(flags.authPublicPublish, "--auth-public-publish", "MOQ_AUTH_PUBLIC_PUBLISH");
        subscribe.addAll(list(pubSubV, false));
        publish.addAll(list(pubPubV, false));
        for (Value v : new Value[] {pubSubV, pubPubV}) if (v != null) publicOrigins.add(v.origin);
        String key = keyV == null ? null : string(keyV);
        String dir = dirV == null ? null : string(dirV);

        Value apiV = pick(flags.authApi, "--auth-api", "MOQ_AUTH_API", "auth.auth_api");
        String api = apiV == null ? null : authApi(apiV);
        if (api != null && (key != null || dir != null || !publicOrigins.isEmpty())) {
            List<String> others = new ArrayList<>();
            if (keyV != null) others.add(keyV.origin);
            if (dirV != null) others.add(dirV.origin);
            others.addAll(publicOrigins);
            // The API gives the key and the public prefixes itself, as in the reference.
            throw new ConfigException("auth.auth_api cannot be combined with auth.key, auth.key_dir or auth.public ("
                    + apiV.origin + "; " + String.join("; ", others) + ")");
        }
        if (api == null && key == null && dir == null && subscribe.isEmpty() && publish.isEmpty() && !mtls) {
            throw new ConfigException("no authentication configured: set auth.key, auth.key_dir, auth.public or auth.auth_api"
                    + " (--auth-key, --auth-key-dir, --auth-public, --auth-api; --auth-public \"\" makes everything public)");
        }
        Value domainsV = pick(flags.authDomain, "--auth-domain", "MOQ_AUTH_DOMAIN", "auth.domains");
        Value mtlsTierV = pick(flags.authMtlsTier, "--auth-mtls-tier", "MOQ_AUTH_MTLS_TIER", "auth.mtls_tier");
        try {
            return new AuthConfig(key, dir, subscribe, publish, api,
                    domainsV == null ? List.of() : domains(domainsV), mtlsTierV == null ? null : string(mtlsTierV));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** An {@code http://} or {@code https://} URL with a host. */
    private String authApi(Value v) {
        String url = string(v);
        try {
            AuthApi.builder(url);
        } catch (IllegalArgumentException e) {
            throw bad(v, e.getMessage());
        }
        return url;
    }

    /** Host suffixes, none empty. */
    private List<String> domains(Value v) {
        List<String> suffixes = strings(v, false);
        try {
            AuthDomains.of(suffixes);
        } catch (IllegalArgumentException e) {
            throw bad(v, e.getMessage());
        }
        return suffixes;
    }

    // ---------------------------------------------------------------------------------------------
    // The file: syntax, then every key from top to bottom.

    private static TomlParseResult parse(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such file");
        TomlParseResult r;
        try {
            r = Toml.parse(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        if (r.hasErrors()) {
            TomlParseError e = r.errors().get(0);
            throw new ConfigException(file + ": line " + e.position().line() + ": " + e.getMessage());
        }
        return r;
    }

    /** Unknown keys, wrong shapes, bad values and unsupported keys of the file, in file order. */
    private void checkFile() {
        if (toml == null) return;
        List<String> keys = new ArrayList<>(toml.dottedKeySet(true));
        keys.sort(Comparator.comparing((String k) -> position(k).line()).thenComparing(k -> position(k).column()));
        for (String key : keys) {
            Object v = toml.get(key);
            boolean table = v instanceof TomlTable;
            if (Keys.TABLES.contains(key) && (table || !parsers.containsKey(key))) {
                if (!table) throw bad(fileValue(key), "expected a table, got " + describe(v));
                continue;
            }
            Keys.Unsupported u = Keys.unsupported(key);
            if (u != null) {
                check(u); // with its flag and variable, which override the file
                continue;
            }
            Function<Value, ?> parser = parsers.get(key);
            if (parser == null) {
                throw new ConfigException(file + ": unknown key '" + key + "' at line " + position(key).line());
            }
            if (table) throw bad(fileValue(key), "expected a value, got a table");
            parser.apply(fileValue(key));
        }
        if (toml.contains("server.bind") && toml.contains("server.listen")) {
            throw bad(fileValue("server.listen"), "server.listen is an alias of server.bind; give only one");
        }
    }

    /** Settings of missing features given by a variable or a flag (the file's were checked in file order). */
    private void checkUnsupported() {
        for (Keys.Unsupported u : Keys.UNSUPPORTED) check(u);
    }

    private void check(Keys.Unsupported u) {
        Value v = pick(flags.unsupported.get(u.key()), flagOf(u), u.env(), u.key());
        if (v == null) return;
        if (u.off() != null && u.off().equals(text(v))) return;
        throw new ConfigException(v.origin + " is not supported yet (" + u.feature() + ")");
    }

    /** The flag spelling the user gave for {@code u}, for the message. */
    private String flagOf(Keys.Unsupported u) {
        return flags.unsupportedFlagNames.getOrDefault(u.key(), u.flags().get(0));
    }

    private static String text(Value v) {
        return String.valueOf(v.raw).trim().toLowerCase(Locale.ROOT);
    }

    private TomlPosition position(String key) {
        TomlPosition p = toml.inputPositionOf(key);
        return p == null ? TomlPosition.positionAt(1, 1) : p;
    }

    private Value fileValue(String key) {
        if (toml == null || !toml.contains(key)) return null;
        return new Value(Origin.FILE, file + ": key '" + key + "' at line " + position(key).line(), toml.get(key));
    }

    // ---------------------------------------------------------------------------------------------
    // Precedence and values.

    /** The winning value: the flag if given, else the variable if set, else the first of {@code keys} in the file. */
    private Value pick(Object flag, String flagName, String envName, String... keys) {
        if (flag != null) return new Value(Origin.FLAG, flagName, flag);
        if (envName != null && env.containsKey(envName)) return new Value(Origin.ENV, envName, env.get(envName));
        for (String k : keys) {
            Value v = fileValue(k);
            if (v != null) return v;
        }
        return null;
    }

    private ConfigException bad(Value v, String problem) {
        return new ConfigException(v.origin + ": " + problem);
    }

    private String string(Value v) {
        if (v.raw instanceof String s) return s;
        throw bad(v, "expected a string, got " + describe(v.raw));
    }

    /**
     * A string or a list of strings. Repeated flags give a list; a variable is one value, or a
     * comma list when the reference splits it ({@code commas}).
     */
    private List<String> strings(Value v, boolean commas) {
        Object raw = v.raw;
        if (raw instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        if (raw instanceof String s) {
            if (v.from == Origin.ENV && commas) return s.isEmpty() ? List.of() : List.of(s.split(",", -1));
            return List.of(s);
        }
        if (raw instanceof TomlArray a) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof String s)) throw bad(v, "expected a string or an array of strings, got " + describe(a.get(i)) + " in the array");
                out.add(s);
            }
            return out;
        }
        throw bad(v, "expected a string or an array of strings, got " + describe(raw));
    }

    private List<String> list(Value v, boolean commas) {
        return v == null ? List.of() : strings(v, commas);
    }

    /** auth.public as a string or array (a table is checked key by key). */
    private List<String> publicPrefixes(Value v) {
        if (v.raw instanceof TomlTable) return List.of();
        if (v.raw instanceof String || v.raw instanceof TomlArray || v.raw instanceof List) return strings(v, false);
        throw bad(v, "expected a string, an array of strings or a table {subscribe, publish}, got " + describe(v.raw));
    }

    /** {@code host:port}, {@code [v6]:port} or {@code :port} (all interfaces); the host may be a name. */
    private InetSocketAddress address(Value v) {
        String s = string(v).trim();
        int colon = s.lastIndexOf(':');
        String problem = "bad address '" + s + "' (expected HOST:PORT, [IPv6]:PORT or :PORT)";
        if (colon < 0) throw bad(v, problem);
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":") || host.contains("[") || host.contains("]")) throw bad(v, problem);
        if (host.isEmpty()) host = "::";
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) throw bad(v, problem);
        InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(port));
        if (a.isUnresolved()) throw bad(v, "cannot resolve host '" + host + "' of '" + s + "'");
        return a;
    }

    private static final Pattern DURATION_PART = Pattern.compile("\\s*([0-9]+)\\s*([a-zA-Zµ]+)\\s*");
    private static final Map<String, Double> UNIT_MILLIS = new LinkedHashMap<>();

    static {
        // humantime's units (what the reference parses durations with).
        for (String u : List.of("nsec", "ns")) UNIT_MILLIS.put(u, 1e-6);
        for (String u : List.of("usec", "us", "µs")) UNIT_MILLIS.put(u, 1e-3);
        for (String u : List.of("msec", "ms")) UNIT_MILLIS.put(u, 1.0);
        for (String u : List.of("seconds", "second", "sec", "s")) UNIT_MILLIS.put(u, 1e3);
        for (String u : List.of("minutes", "minute", "min", "m")) UNIT_MILLIS.put(u, 60e3);
        for (String u : List.of("hours", "hour", "hr", "h")) UNIT_MILLIS.put(u, 3600e3);
        for (String u : List.of("days", "day", "d")) UNIT_MILLIS.put(u, 86400e3);
        for (String u : List.of("weeks", "week", "w")) UNIT_MILLIS.put(u, 7 * 86400e3);
        for (String u : List.of("months", "month", "M")) UNIT_MILLIS.put(u, 2_630_016e3);
        for (String u : List.of("years", "year", "y")) UNIT_MILLIS.put(u, 31_557_600e3);
    }

    /** {@code cache.capacity}: a size above zero ({@link #size}). */
    private long bytes(Value v) {
        long bytes = size(v);
        if (bytes <= 0) throw bad(v, sizeProblem(v));
        return bytes;
    }

    /** {@code cache.headroom}: a size above zero ({@link #size}); zero is refused as the reference does. */
    private long headroom(Value v) {
        long bytes = size(v);
        if (bytes <= 0) throw bad(v, "must be non-zero (leave it unset for no headroom)");
        return bytes;
    }

    /**
     * A size as the reference's bytesize reads it (any case): {@code 1048576}, {@code 64k},
     * {@code 2GB}, {@code 512MiB}, {@code 1.5Gi}, or a share of the machine's memory,
     * {@code 25%} (the container's limit when it has one).
     */
    private long size(Value v) {
        String s = string(v).trim();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) throw bad(v, sizeProblem(v));
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        double scale;
        switch (unit) {
            case "", "b" -> scale = 1;
            case "k", "kb" -> scale = 1e3;
            case "ki", "kib" -> scale = 1L << 10;
            case "m", "mb" -> scale = 1e6;
            case "mi", "mib" -> scale = 1L << 20;
            case "g", "gb" -> scale = 1e9;
            case "gi", "gib" -> scale = 1L << 30;
            case "t", "tb" -> scale = 1e12;
            case "ti", "tib" -> scale = 1L << 40;
            case "p", "pb" -> scale = 1e15;
            case "pi", "pib" -> scale = 1L << 50;
            case "%" -> {
                if (n <= 0 || n > 100) throw bad(v, "memory percentage must be within (0, 100], got " + m.group(1));
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                scale = os.getTotalMemorySize() / 100.0;
            }
            default -> throw bad(v, sizeProblem(v));
        }
        double bytes = n * scale;
        if (bytes >= Long.MAX_VALUE) throw bad(v, sizeProblem(v));
        return (long) bytes;
    }

    private String sizeProblem(Value v) {
        return "bad size '" + String.valueOf(v.raw).trim() + "' (expected e.g. 536870912, 512MiB, 2GB or 25%)";
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z%]+)?");

    /** A duration as humantime writes it: {@code 5s}, {@code 500ms}, {@code 1m 30s}, or {@code 0}. */
    private long millis(Value v) {
        String s = string(v).trim();
        String problem = "bad duration '" + s + "' (expected e.g. 5s, 500ms, 1m 30s, or 0)";
        if (s.equals("0")) return 0;
        Matcher m = DURATION_PART.matcher(s);
        double total = 0;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw bad(v, problem);
            Double unit = UNIT_MILLIS.get(m.group(2));
            if (unit == null) throw bad(v, problem);
            try {
                total += Long.parseLong(m.group(1)) * unit;
            } catch (NumberFormatException e) {
                throw bad(v, problem);
            }
            at = m.end();
        }
        if (s.isEmpty() || total > Long.MAX_VALUE) throw bad(v, problem);
        return (long) total;
    }

    /** {@code [server.quic]}: congestion control, GSO, MTU discovery, stream limit and idle timeout over the defaults. */
    private QuicTransportConfig quic() {
        QuicTransportConfig q = QuicTransportConfig.DEFAULT;
        Value cc = pick(flags.quicCongestionControl, "--server-quic-congestion-control",
                "MOQ_SERVER_QUIC_CONGESTION_CONTROL", "server.quic.congestion_control");
        if (cc != null) q = q.withCongestionControl(congestionControl(cc));
        Value gso = pick(flags.quicGso, "--server-quic-gso", "MOQ_SERVER_QUIC_GSO", "server.quic.gso");
        if (gso != null) q = q.withGso(bool(gso));
        Value mtu = pick(flags.quicMtuDiscovery, "--server-quic-mtu-discovery", "MOQ_SERVER_QUIC_MTU_DISCOVERY",
                "server.quic.mtu_discovery");
        if (mtu != null) q = q.withMtuDiscovery(bool(mtu));
        Value streams = pick(flags.quicMaxStreams, "--server-quic-max-streams", "MOQ_SERVER_QUIC_MAX_STREAMS",
                "server.quic.max_streams");
        if (streams != null) q = q.withMaxStreams(maxStreams(streams));
        Value idle = pick(flags.quicIdleTimeout, "--server-quic-idle-timeout", "MOQ_SERVER_QUIC_IDLE_TIMEOUT",
                "server.quic.idle_timeout");
        if (idle != null) {
            long ms = millis(idle);
            if (ms <= 0) throw bad(idle, "must be greater than 0");
            q = q.withIdleTimeout(java.time.Duration.ofMillis(ms));
        }
        return q;
    }

    private QuicTransportConfig.CongestionControl congestionControl(Value v) {
        try {
            return QuicTransportConfig.CongestionControl.parse(string(v).trim());
        } catch (IllegalArgumentException e) {
            throw bad(v, "unknown congestion control " + e.getMessage());
        }
    }

    /** A TOML boolean, or {@code true} / {@code false} from a flag or variable. */
    private boolean bool(Value v) {
        if (v.raw instanceof Boolean b) return b;
        if (v.raw instanceof String s && v.from != Origin.FILE) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true": return true;
                case "false": return false;
                default: throw bad(v, "bad boolean '" + s + "' (expected true or false)");
            }
        }
        throw bad(v, "expected a boolean, got " + describe(v.raw));
    }

    /** A positive integer (QUIC allows up to 2^60 streams). */
    private long maxStreams(Value v) {
        long n = integer(v);
        if (n < 1 || n > 1L << 60) throw bad(v, n + " is out of range (expected 1 to 2^60)");
        return n;
    }

    /** A TOML integer, or one written in a flag or variable. */
    private long integer(Value v) {
        if (v.raw instanceof Long l) return l;
        if (v.raw instanceof String s && v.from != Origin.FILE) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw bad(v, "bad integer '" + s + "'");
            }
        }
        throw bad(v, "expected an integer, got " + describe(v.raw));
    }

    /** Event-loop threads: 1 to {@link RelayConfig#MAX_QUIC_THREADS}. */
    private int threads(Value v) {
        long n = integer(v);
        if (n < 1 || n > RelayConfig.MAX_QUIC_THREADS) {
            throw bad(v, n + " is out of range (expected 1 to " + RelayConfig.MAX_QUIC_THREADS + ")");
        }
        return (int) n;
    }

    /** The hop id: an integer from 1 to 2^53-1 (the reference allows up to 2^62-1; see RelayConfig). */
    private long clusterId(Value v) {
        long id = integer(v);
        if (id == 0) throw bad(v, "must be non-zero (leave it unset for a random id)");
        if (id < 0 || id >= 1L << 53) throw bad(v, id + " is out of range (expected 1 to 2^53-1)");
        return id;
    }

    /** {@code error}, {@code warn}, {@code info}, {@code debug}, {@code trace} (any case), or 1..5 as tracing reads them. */
    private Level level(Value v) {
        Level l = Logging.parse(string(v));
        if (l == null) throw bad(v, "unknown level '" + v.raw + "' (expected error, warn, info, debug or trace)");
        return l;
    }

    private static String describe(Object raw) {
        if (raw instanceof String s) return "the string \"" + s + "\"";
        if (raw instanceof TomlArray) return "an array";
        if (raw instanceof TomlTable) return "a table";
        if (raw instanceof Long) return "the integer " + raw;
        if (raw instanceof Double) return "the number " + raw;
        if (raw instanceof Boolean) return "the boolean " + raw;
        return "a " + (raw == null ? "null" : raw.getClass().getSimpleName().replace("Offset", "").replace("Local", "").toLowerCase(Locale.ROOT));
    }
}
