package org.moqrelay.relay.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may do what (relay.md §5): a JWT key (file or URL) or a key directory (file path or URL,
 * looked up by the token's {@code kid}), and the path prefixes open to anyone without a token.
 *
 * @param key             {@code --auth-key}, or null
 * @param keyDir          {@code --auth-key-dir}, or null
 * @param publicSubscribe prefixes anyone may subscribe under ({@code --auth-public} counts for both roles)
 * @param publicPublish   prefixes anyone may publish under
 */
public record AuthConfig(String key, String keyDir, List<String> publicSubscribe, List<String> publicPublish) {
    /** Nobody gets in. */
    public static final AuthConfig NONE = new AuthConfig(null, null, List.of(), List.of());

    public AuthConfig {
        if (key != null && keyDir != null) {
            throw new IllegalArgumentException("auth.key and auth.key_dir cannot both be set");
        }
        publicSubscribe = publicSubscribe == null ? List.of() : List.copyOf(publicSubscribe);
        publicPublish = publicPublish == null ? List.of() : List.copyOf(publicPublish);
    }

    /** Anonymous publish and subscribe under {@code prefixes} ({@code ""} = everything). */
    public static AuthConfig publicOnly(List<String> prefixes) {
        return new AuthConfig(null, null, prefixes, prefixes);
    }

    /** This config with {@code prefixes} public for both roles as well. */
    public AuthConfig withPublic(List<String> prefixes) {
        List<String> s = new ArrayList<>(publicSubscribe);
        List<String> p = new ArrayList<>(publicPublish);
        s.addAll(prefixes);
        p.addAll(prefixes);
        return new AuthConfig(key, keyDir, s, p);
    }
}
