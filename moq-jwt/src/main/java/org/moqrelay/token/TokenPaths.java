package org.moqrelay.token;

/**
 * Segment-aware path helpers with the same normalisation and boundary rules as the relay's broadcast
 * paths (moq {@code rs/moq-token/src/path.rs}, {@code moq_net::Path}).
 *
 * <p>Every function except {@link #normalize} expects normalised arguments.
 */
final class TokenPaths {
    private TokenPaths() {
    }

    /** Drops leading and trailing slashes and collapses repeated ones: {@code /foo//bar/} is {@code foo/bar}. */
    static String normalize(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        int n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') i++;
            int start = i;
            while (i < n && path.charAt(i) != '/') i++;
            if (i > start) {
                if (!out.isEmpty()) out.append('/');
                out.append(path, start, i);
            }
        }
        return out.toString();
    }

    /** {@code path} without {@code prefix} and its delimiter, or null when {@code prefix} is not a segment-aligned prefix. */
    static String stripPrefix(String path, String prefix) {
        if (prefix.isEmpty()) return path;
        if (!path.startsWith(prefix)) return null;
        if (path.length() == prefix.length()) return "";
        return path.charAt(prefix.length()) == '/' ? path.substring(prefix.length() + 1) : null;
    }

    /** True when {@code path} starts with {@code prefix} on a segment boundary; the empty prefix matches everything. */
    static boolean hasPrefix(String path, String prefix) {
        return stripPrefix(path, prefix) != null;
    }

    /** Joins two relative paths, leaving out the delimiter when either side is empty. */
    static String join(String base, String other) {
        if (base.isEmpty()) return other;
        if (other.isEmpty()) return base;
        return base + "/" + other;
    }
}
