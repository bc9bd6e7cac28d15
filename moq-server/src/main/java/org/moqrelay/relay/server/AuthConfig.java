package org.moqrelay.relay.server;

import java.util.ArrayList;
import java.util.List;
import org.moqrelay.relay.auth.AuthDomains;
import org.moqrelay.token.AuthApi;

/**
 * Who may do what (relay.md §5): a JWT key (file or URL) or a key directory (file path or URL,
 * looked up by the token's {@code kid}) and the path prefixes open to anyone without a token; or
 * instead of all of them the unified auth API. Subdomain routing and the stats tier of client
 * certificates apply either way.
 *
 * @param key             {@code --auth-key}, or null
 * @param keyDir          {@code --auth-key-dir}, or null
 * @param publicSubscribe prefixes anyone may subscribe under ({@code --auth-public} counts for both roles)
 * @param publicPublish   prefixes anyone may publish under
 * @param authApi         {@code --auth-api}: the URL asked about every connection, or null
 * @param domains         {@code --auth-domain}: host suffixes whose subdomain labels prefix the path
 * @param mtlsTier        {@code --auth-mtls-tier}: the stats tier of client-certificate peers the auth API
 *                        puts in none, or null for the default tier
 */
public record AuthConfig(String key, String keyDir, List<String> publicSubscribe, List<String> publicPublish,
                         String authApi, List<String> domains, String mtlsTier) {
    /** Nobody gets in. */
    public static final AuthConfig NONE = new AuthConfig(null, null, List.of(), List.of());

    public AuthConfig {
        if (key != null && keyDir != null) {
            throw new IllegalArgumentException("auth.key and auth.key_dir cannot both be set");
        }
        publicSubscribe = publicSubscribe == null ? List.of() : List.copyOf(publicSubscribe);
        publicPublish = publicPublish == null ? List.of() : List.copyOf(publicPublish);
        domains = domains == null ? List.of() : List.copyOf(domains);
        if (authApi != null) {
            if (key != null || keyDir != null || !publicSubscribe.isEmpty() || !publicPublish.isEmpty()) {
                // The API gives the key and the public prefixes itself, as in the reference.
                throw new IllegalArgumentException("auth.auth_api cannot be combined with auth.key, auth.key_dir or auth.public"
                        + " (--auth-api with --auth-key/--auth-key-dir/--auth-public)");
            }
            AuthApi.builder(authApi); // a bad URL stops start-up
        }
        AuthDomains.of(domains); // so does an empty suffix
    }

    /** Keys and public prefixes only. */
    public AuthConfig(String key, String keyDir, List<String> publicSubscribe, List<String> publicPublish) {
        this(key, keyDir, publicSubscribe, publicPublish, null, List.of(), null);
    }

    /** Anonymous publish and subscribe under {@code prefixes} ({@code ""} = everything). */
    public static AuthConfig publicOnly(List<String> prefixes) {
        return new AuthConfig(null, null, prefixes, prefixes);
    }

    /** Everything decided by the auth API at {@code url}. */
    public static AuthConfig api(String url) {
        return new AuthConfig(null, null, List.of(), List.of(), url, List.of(), null);
    }

    /** This config with {@code prefixes} public for both roles as well. */
    public AuthConfig withPublic(List<String> prefixes) {
        List<String> s = new ArrayList<>(publicSubscribe);
        List<String> p = new ArrayList<>(publicPublish);
        s.addAll(prefixes);
        p.addAll(prefixes);
        return new AuthConfig(key, keyDir, s, p, authApi, domains, mtlsTier);
    }

    /** This config routing subdomains of {@code suffixes} to path prefixes. */
    public AuthConfig withDomains(List<String> suffixes) {
        return new AuthConfig(key, keyDir, publicSubscribe, publicPublish, authApi, suffixes, mtlsTier);
    }

    /** This config counting client-certificate peers under {@code tier}. */
    public AuthConfig withMtlsTier(String tier) {
        return new AuthConfig(key, keyDir, publicSubscribe, publicPublish, authApi, domains, tier);
    }
}
