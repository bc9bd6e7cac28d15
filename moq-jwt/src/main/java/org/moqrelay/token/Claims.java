package org.moqrelay.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A token's payload (moq {@code rs/moq-token/src/claims.rs}): a root, the publish ({@code put}) and
 * subscribe ({@code get}) prefixes granted beneath it, and optional expiry and issue times.
 *
 * <p>On the wire {@code put}/{@code get} are a string or an array of strings and are written as arrays;
 * empty {@code root}, empty lists and absent times are left out. {@code cluster} is the 2025 claim
 * (relay.md section 5.3): read only by {@link #fromJson(String, boolean)} with legacy names enabled and
 * written only when true.
 *
 * @param root    base path of {@code put} and {@code get}; never null, {@code ""} by default
 * @param put     publish prefixes relative to {@code root}; {@code ""} is everything under it
 * @param get     subscribe prefixes relative to {@code root}
 * @param exp     expiry, or null for none; enforced by {@link TokenVerifier} with no leeway
 * @param iat     issue time, or null; informational only
 * @param cluster the historical cluster-node flag
 */
public record Claims(String root, List<String> put, List<String> get, Instant exp, Instant iat, boolean cluster) {
    private static final Claims EMPTY = new Claims("", List.of(), List.of(), null, null, false);

    public Claims {
        root = root == null ? "" : root;
        put = put == null ? List.of() : List.copyOf(put);
        get = get == null ? List.of() : List.copyOf(get);
    }

    /** No root, no grants, no times. */
    public static Claims empty() {
        return EMPTY;
    }

    /** Claims with a root and grants and no times. */
    public static Claims of(String root, List<String> put, List<String> get) {
        return new Claims(root, put, get, null, null, false);
    }

    public Claims withRoot(String root) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    public Claims withPut(List<String> put) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    public Claims withPut(String... put) {
        return withPut(Arrays.asList(put));
    }

    public Claims withGet(List<String> get) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    public Claims withGet(String... get) {
        return withGet(Arrays.asList(get));
    }

    /** Expire at {@code exp} (whole seconds on the wire), or never when null. */
    public Claims withExp(Instant exp) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    public Claims withIat(Instant iat) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    public Claims withCluster(boolean cluster) {
        return new Claims(root, put, get, exp, iat, cluster);
    }

    /** Throws {@link TokenException.Reason#USELESS_TOKEN} when neither role is granted anything. */
    public void validate() {
        if (put.isEmpty() && get.isEmpty()) {
            throw new TokenException(TokenException.Reason.USELESS_TOKEN, "no publish or subscribe allowed; token is useless");
        }
    }

    /** True when {@code exp} is set and strictly before {@code now}. */
    public boolean isExpired(Instant now) {
        return exp != null && exp.isBefore(now);
    }

    /** The payload JSON, member for member as the reference writes it. */
    public String toJson() {
        Json.Writer w = new Json.Writer();
        if (!root.isEmpty()) w.string("root", root);
        if (!put.isEmpty()) w.strings("put", put);
        if (cluster) w.bool("cluster", true);
        if (!get.isEmpty()) w.strings("get", get);
        if (exp != null) w.number("exp", exp.getEpochSecond());
        if (iat != null) w.number("iat", iat.getEpochSecond());
        return w.toString();
    }

    /** Parses a payload with today's claim names only, as the reference does. */
    public static Claims fromJson(String json) {
        return ClaimsJson.parse(json, false);
    }

    /**
     * Parses a payload; with {@code legacyNames} the 2025 single-string {@code pub}/{@code sub} stand in
     * for an absent {@code put}/{@code get}, and {@code cluster} is read.
     */
    public static Claims fromJson(String json, boolean legacyNames) {
        return ClaimsJson.parse(json, legacyNames);
    }
}
