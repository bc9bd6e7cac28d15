package org.moqrelay.transport.qmux.unix;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which local processes may use the Unix-socket listener, by the credentials the kernel reports
 * for the peer ({@code SO_PEERCRED}): each non-empty list must contain the peer's value (AND across
 * the lists, OR within one); an empty list allows any value, so {@link #ANYONE} checks nothing and
 * the socket file's permissions are the only gate (as in the reference, {@code rs/moq-native/src/unix.rs}).
 *
 * @param uids user ids (0 to 2^32-1)
 * @param gids group ids (0 to 2^32-1)
 * @param pids process ids
 */
public record PeerAllowlist(List<Long> uids, List<Long> gids, List<Integer> pids) {
    public static final PeerAllowlist ANYONE = new PeerAllowlist(List.of(), List.of(), List.of());

    public PeerAllowlist {
        uids = uids == null ? List.of() : List.copyOf(uids);
        gids = gids == null ? List.of() : List.copyOf(gids);
        pids = pids == null ? List.of() : List.copyOf(pids);
        for (long id : uids) checkId("uid", id);
        for (long id : gids) checkId("gid", id);
    }

    private static void checkId(String what, long id) {
        if (id < 0 || id > 0xffff_ffffL) throw new IllegalArgumentException(what + " " + id + " is out of range (0 to 4294967295)");
    }

    /** True when no list restricts anything. */
    public boolean isEmpty() {
        return uids.isEmpty() && gids.isEmpty() && pids.isEmpty();
    }

    /**
     * @param uid the peer's effective user id
     * @param gid the peer's effective group id
     * @param pid the peer's process id, or 0 when the platform does not report one (never allowed
     *            by a pid list)
     */
    public boolean permits(long uid, long gid, int pid) {
        return (uids.isEmpty() || uids.contains(uid))
                && (gids.isEmpty() || gids.contains(gid))
                && (pids.isEmpty() || (pid > 0 && pids.contains(pid)));
    }

    @Override
    public String toString() {
        if (isEmpty()) return "anyone";
        StringBuilder b = new StringBuilder();
        append(b, "uid", uids);
        append(b, "gid", gids);
        append(b, "pid", pids);
        return b.toString();
    }

    private static void append(StringBuilder b, String name, List<? extends Number> ids) {
        if (ids.isEmpty()) return;
        if (!b.isEmpty()) b.append(" and ");
        b.append(name).append(' ').append(ids.stream().map(String::valueOf).collect(Collectors.joining("|")));
    }
}
