package org.moqrelay.transport.webtransport.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.moqrelay.wire.VarInts;

/**
 * HTTP/3 frame and stream-type constants, frame framing, and SETTINGS (RFC 9114 §7), with the
 * extension values WebTransport over HTTP/3 needs.
 */
public final class Http3Frames {
    // Frame types (RFC 9114 §7.2; WEBTRANSPORT_STREAM from draft-ietf-webtrans-http3).
    public static final long DATA = 0x00;
    public static final long HEADERS = 0x01;
    public static final long CANCEL_PUSH = 0x03;
    public static final long SETTINGS = 0x04;
    public static final long PUSH_PROMISE = 0x05;
    public static final long GOAWAY = 0x07;
    public static final long MAX_PUSH_ID = 0x0d;
    /** Not a real frame: a bidi stream starting with this is a WebTransport stream. */
    public static final long WEBTRANSPORT_STREAM = 0x41;

    // Unidirectional stream types (RFC 9114 §6.2, RFC 9204 §4.2).
    public static final long STREAM_CONTROL = 0x00;
    public static final long STREAM_PUSH = 0x01;
    public static final long STREAM_QPACK_ENCODER = 0x02;
    public static final long STREAM_QPACK_DECODER = 0x03;
    public static final long STREAM_WEBTRANSPORT_UNI = 0x54;

    // Settings identifiers.
    public static final long SETTINGS_QPACK_MAX_TABLE_CAPACITY = 0x01;
    public static final long SETTINGS_MAX_FIELD_SECTION_SIZE = 0x06;
    public static final long SETTINGS_QPACK_BLOCKED_STREAMS = 0x07;
    public static final long SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x08;
    public static final long SETTINGS_H3_DATAGRAM = 0x33;
    public static final long SETTINGS_H3_DATAGRAM_DRAFT04 = 0xffd277L;
    public static final long SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT07 = 0xc671706aL;
    public static final long SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT02 = 0x2b603743L;
    public static final long SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;

    /** A frame's type and payload length; {@code headerLength} is the bytes the two varints took. */
    public record FrameHeader(long type, long length, int headerLength) {}

    private Http3Frames() {}

    /**
     * True for the reserved GREASE code points {@code 0x1f * N + 0x21} that frame types, stream
     * types, settings and error codes all share (RFC 9114 §7.2.8, §6.2.3, §7.2.4.1, §8.1).
     */
    public static boolean isGrease(long value) {
        return value >= 0x21 && (value - 0x21) % 0x1f == 0;
    }

    /** Writes a frame header. */
    public static void writeFrameHeader(ByteBuf out, long type, long length) {
        VarInts.write(out, type);
        VarInts.write(out, length);
    }

    /** Writes a frame with the readable bytes of {@code payload}; payload is neither consumed nor released. */
    public static void writeFrame(ByteBuf out, long type, ByteBuf payload) {
        int length = payload.readableBytes();
        writeFrameHeader(out, type, length);
        out.writeBytes(payload, payload.readerIndex(), length);
    }

    /**
     * Reads a frame header only once the whole frame has arrived, for cumulation-style decoders.
     *
     * <p>Returns null, with the reader index untouched, when the header or the payload is not yet
     * all readable. Otherwise it skips the header, leaving the payload as the next
     * {@code length} readable bytes.
     *
     * @throws Http3Exception H3_EXCESSIVE_LOAD if the length exceeds {@code maxPayloadLength}, as
     *     soon as the header is readable, so an oversized frame is refused before it is buffered
     */
    public static FrameHeader readFrameHeader(ByteBuf in, long maxPayloadLength) {
        FrameHeader header = peekFrameHeader(in);
        if (header == null) {
            return null;
        }
        if (header.length() > maxPayloadLength) {
            throw new Http3Exception(Http3Exception.H3_EXCESSIVE_LOAD, "frame type 0x"
                    + Long.toHexString(header.type()) + " with " + header.length()
                    + " payload bytes, over the limit of " + maxPayloadLength);
        }
        if (in.readableBytes() - header.headerLength() < header.length()) {
            return null;
        }
        in.skipBytes(header.headerLength());
        return header;
    }

    /**
     * The header (type and length varints) at the reader index without consuming anything, or
     * null if it is not yet all readable. Capsules (RFC 9297 §3.2) share this layout.
     */
    public static FrameHeader peekFrameHeader(ByteBuf in) {
        int typeLen = VarInts.peekLength(in);
        if (typeLen < 0) {
            return null;
        }
        int start = in.readerIndex();
        if (in.readableBytes() <= typeLen) {
            return null;
        }
        int lengthLen = VarInts.lengthAt(in, start + typeLen);
        if (in.readableBytes() < typeLen + lengthLen) {
            return null;
        }
        return new FrameHeader(VarInts.getAt(in, start), VarInts.getAt(in, start + typeLen), typeLen + lengthLen);
    }

    /**
     * The bytes our control stream starts with: stream type 0x00, then SETTINGS enabling extended
     * CONNECT, HTTP datagrams (RFC and draft-04) and WebTransport (drafts 07 and 02), each = 1.
     * Chromium 156 needs 0x2b603742 plus a datagram setting; the rest mirrors the Rust relay.
     * No QPACK setting is sent, which keeps the peer's dynamic table capacity at 0.
     */
    public static ByteBuf serverSettings() {
        Map<Long, Long> settings = new LinkedHashMap<>();
        settings.put(SETTINGS_ENABLE_CONNECT_PROTOCOL, 1L);
        settings.put(SETTINGS_H3_DATAGRAM, 1L);
        settings.put(SETTINGS_H3_DATAGRAM_DRAFT04, 1L);
        settings.put(SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT07, 1L);
        settings.put(SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT02, 1L);
        settings.put(SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02, 1L);
        return controlStream(settings);
    }

    /**
     * The bytes a WebTransport client's control stream starts with: stream type 0x00, then
     * SETTINGS with HTTP datagrams (RFC and draft-04) and WebTransport (drafts 07 and 02), enough
     * for {@link #supportsWebTransport}. Extended CONNECT is the server's setting to send.
     */
    public static ByteBuf clientSettings() {
        Map<Long, Long> settings = new LinkedHashMap<>();
        settings.put(SETTINGS_H3_DATAGRAM, 1L);
        settings.put(SETTINGS_H3_DATAGRAM_DRAFT04, 1L);
        settings.put(SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT07, 1L);
        settings.put(SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02, 1L);
        return controlStream(settings);
    }

    /** Stream type 0x00 (control), then one SETTINGS frame. */
    private static ByteBuf controlStream(Map<Long, Long> settings) {
        ByteBuf out = Unpooled.buffer(32);
        VarInts.write(out, STREAM_CONTROL);
        writeSettings(out, settings);
        return out;
    }

    /** Writes a SETTINGS frame with the entries in iteration order. */
    public static void writeSettings(ByteBuf out, Map<Long, Long> settings) {
        long length = 0;
        for (Map.Entry<Long, Long> e : settings.entrySet()) {
            length += VarInts.size(e.getKey()) + VarInts.size(e.getValue());
        }
        writeFrameHeader(out, SETTINGS, length);
        for (Map.Entry<Long, Long> e : settings.entrySet()) {
            VarInts.write(out, e.getKey());
            VarInts.write(out, e.getValue());
        }
    }

    /**
     * Parses a SETTINGS payload (its readable bytes; the reader index is not moved).
     *
     * @return the settings in wire order, GREASE identifiers (even repeated ones) left out
     * @throws Http3Exception H3_SETTINGS_ERROR on a duplicate identifier or an HTTP/2-only one
     *     (0x02..0x05, RFC 9114 §7.2.4.1); H3_FRAME_ERROR if the payload ends inside a varint
     */
    public static Map<Long, Long> parseSettings(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        Map<Long, Long> settings = new LinkedHashMap<>();
        while (in.isReadable()) {
            long id = readVarint(in);
            long value = readVarint(in);
            // GREASE is skipped before the duplicate check: a peer reusing a random GREASE id is
            // harmless, and failing the connection over it would only hurt interop.
            if (isGrease(id)) {
                continue;
            }
            if (id >= 0x02 && id <= 0x05) {
                throw new Http3Exception(Http3Exception.H3_SETTINGS_ERROR,
                        "HTTP/2 setting 0x" + Long.toHexString(id) + " is not allowed in HTTP/3");
            }
            if (settings.putIfAbsent(id, value) != null) {
                throw new Http3Exception(Http3Exception.H3_SETTINGS_ERROR, "duplicate setting 0x" + Long.toHexString(id));
            }
        }
        return Collections.unmodifiableMap(settings);
    }

    /**
     * Whether a client's SETTINGS allow a WebTransport session: HTTP datagrams (RFC or draft-04)
     * and either draft-07 max sessions &gt; 0 or draft-02 enable = 1 (Chromium 156 sends only the
     * latter).
     */
    public static boolean supportsWebTransport(Map<Long, Long> settings) {
        return enablesDatagrams(settings) && enablesWebTransport(settings);
    }

    /**
     * What a server's SETTINGS lack before a client may send it a WebTransport CONNECT, named as
     * the setting to send, or empty if nothing: extended CONNECT (RFC 9220 §3 forbids the request
     * without it), HTTP datagrams, and WebTransport as {@link #supportsWebTransport} reads them.
     */
    public static Optional<String> missingForWebTransportServer(Map<Long, Long> settings) {
        if (settings.getOrDefault(SETTINGS_ENABLE_CONNECT_PROTOCOL, 0L) != 1) {
            return Optional.of("SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8) = 1");
        }
        if (!enablesDatagrams(settings)) {
            return Optional.of("SETTINGS_H3_DATAGRAM (0x33, or draft-04 0xffd277) = 1");
        }
        if (!enablesWebTransport(settings)) {
            return Optional.of("SETTINGS_WEBTRANS_MAX_SESSIONS (0xc671706a) > 0,"
                    + " or draft-02 SETTINGS_ENABLE_WEBTRANSPORT (0x2b603742) = 1");
        }
        return Optional.empty();
    }

    private static boolean enablesDatagrams(Map<Long, Long> settings) {
        return settings.getOrDefault(SETTINGS_H3_DATAGRAM, 0L) == 1
                || settings.getOrDefault(SETTINGS_H3_DATAGRAM_DRAFT04, 0L) == 1;
    }

    private static boolean enablesWebTransport(Map<Long, Long> settings) {
        return settings.getOrDefault(SETTINGS_WEBTRANS_MAX_SESSIONS_DRAFT07, 0L) > 0
                || settings.getOrDefault(SETTINGS_ENABLE_WEBTRANSPORT_DRAFT02, 0L) == 1;
    }

    private static long readVarint(ByteBuf in) {
        if (VarInts.peekLength(in) < 0) {
            throw new Http3Exception(Http3Exception.H3_FRAME_ERROR, "SETTINGS payload ends inside a varint");
        }
        return VarInts.read(in);
    }
}
