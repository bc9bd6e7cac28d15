package org.moqrelay.token;

import java.time.Instant;
import java.util.List;

/**
 * What a session may do, from {@link Authorization}: its root (the normalised connection path) and the
 * publish and subscribe prefixes relative to that root. {@code ""} grants the whole root; an empty list
 * grants nothing in that role. At least one list is non-empty.
 *
 * @param root      the session root: the connection path without leading, trailing or doubled slashes
 * @param publish   publish prefixes relative to {@code root}
 * @param subscribe subscribe prefixes relative to {@code root}
 * @param expires   when the credential lapses (the token's {@code exp}), or null
 */
public record Permissions(String root, List<String> publish, List<String> subscribe, Instant expires) {
    public Permissions {
        root = root == null ? "" : root;
        publish = publish == null ? List.of() : List.copyOf(publish);
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
    }
}
