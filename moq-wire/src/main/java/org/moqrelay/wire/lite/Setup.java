package org.moqrelay.wire.lite;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.moqrelay.wire.VarInts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * lite-05 SETUP: the capability parameters each endpoint sends once on its uni SETUP stream.
 * Values are kept as raw bytes because unknown ids must be tolerated and ignored.
 */
public record Setup(Map<Long, byte[]> parameters) implements LiteMessage {
    public static final long PROBE = 0x1;
    public static final long PATH = 0x2;
    public static final long ROLE = 0x3;
    public static final long ORIGIN = 0x5;
    /** At most this many parameters, as the reference enforces. */
    public static final int MAX_PARAMETERS = 64;

    public Setup {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A builder-style helper for the common parameters. */
    public static Setup of(long origin, String path, Long role, Long probe) {
        Map<Long, byte[]> p = new LinkedHashMap<>();
        if (probe != null) p.put(PROBE, VarInts.toBytes(probe));
        if (path != null && !path.isEmpty()) p.put(PATH, path.getBytes(StandardCharsets.UTF_8));
        if (role != null) p.put(ROLE, VarInts.toBytes(role));
        if (origin != 0) p.put(ORIGIN, VarInts.toBytes(origin));
        return new Setup(p);
    }

    /** The sender's hop id, 0 when absent. */
    public long origin() {
        return varintParam(ORIGIN, 0);
    }

    /** The requested path and query (raw QUIC and TCP only), or null. */
    public String path() {
        byte[] v = parameters.get(PATH);
        return v == null || v.length == 0 ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** 0 Both, 1 Publisher, 2 Subscriber; unknown values mean Both. */
    public long role() {
        long r = varintParam(ROLE, 0);
        return r > 2 ? 0 : r;
    }

    public long probe() {
        return varintParam(PROBE, 0);
    }

    private long varintParam(long id, long dflt) {
        byte[] v = parameters.get(id);
        if (v == null || v.length == 0) return dflt;
        ByteBuf b = Unpooled.wrappedBuffer(v);
        try {
            return VarInts.read(b);
        } catch (org.moqrelay.wire.DecodeException e) {
            return dflt; // a malformed value is treated as absent, like an unknown parameter
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Setup s) || s.parameters.size() != parameters.size()) return false;
        for (Map.Entry<Long, byte[]> e : parameters.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), s.parameters.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return parameters.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "Setup[origin=" + origin() + ", path=" + (path() == null ? "" : "<set>") + ", role=" + role()
                + ", probe=" + probe() + ", ids=" + parameters.keySet() + "]";
    }
}
