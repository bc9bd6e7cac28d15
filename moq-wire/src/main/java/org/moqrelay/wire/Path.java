package org.moqrelay.wire;

import java.util.Objects;

/**
 * A normalized broadcast path: no leading, trailing or doubled {@code /}; the empty path is the
 * root. Prefixes match on whole segments ({@code foo} covers {@code foo/bar}, not {@code foobar})
 * (spec/moq-lite.md §10).
 */
public final class Path implements Comparable<Path> {
    /** At most this many {@code /}-separated parts, as the reference enforces on decode. */
    public static final int MAX_PARTS = 32;
    public static final Path ROOT = new Path("");

    private final String value;

    private Path(String value) {
        this.value = value;
    }

    /** Normalizes {@code raw} ({@code "/a//b/"} becomes {@code "a/b"}). */
    public static Path of(String raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.isEmpty()) return ROOT;
        StringBuilder sb = new StringBuilder(raw.length());
        for (String part : raw.split("/")) {
            if (part.isEmpty()) continue;
            if (sb.length() > 0) sb.append('/');
            sb.append(part);
        }
        return sb.length() == 0 ? ROOT : new Path(sb.toString());
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    /** Number of segments; 0 for the root. */
    public int parts() {
        if (value.isEmpty()) return 0;
        int n = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '/') n++;
        }
        return n;
    }

    /** True if {@code prefix} is this path or one of its ancestors (segment-wise). */
    public boolean hasPrefix(Path prefix) {
        if (prefix.value.isEmpty()) return true;
        if (!value.startsWith(prefix.value)) return false;
        return value.length() == prefix.value.length() || value.charAt(prefix.value.length()) == '/';
    }

    /** The remainder after {@code prefix}, or null if {@code prefix} does not cover this path. */
    public Path stripPrefix(Path prefix) {
        if (!hasPrefix(prefix)) return null;
        if (prefix.value.isEmpty()) return this;
        if (value.length() == prefix.value.length()) return ROOT;
        return new Path(value.substring(prefix.value.length() + 1));
    }

    /** This path followed by {@code child}. */
    public Path join(Path child) {
        if (child.value.isEmpty()) return this;
        if (value.isEmpty()) return child;
        return new Path(value + "/" + child.value);
    }

    /** The path without its last segment; the root for a one-segment path. */
    public Path parent() {
        int i = value.lastIndexOf('/');
        return i < 0 ? ROOT : new Path(value.substring(0, i));
    }

    /** The last segment; empty for the root. */
    public String lastSegment() {
        int i = value.lastIndexOf('/');
        return i < 0 ? value : value.substring(i + 1);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(Path o) {
        return value.compareTo(o.value);
    }
}
