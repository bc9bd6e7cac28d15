package org.moqrelay.transport.webtransport.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.moqrelay.wire.VarInts;

/**
 * Capsules on the WebTransport CONNECT stream (RFC 9297 §3, draft-ietf-webtrans-http3 §5-6):
 * encoding CLOSE_WEBTRANSPORT_SESSION, and a {@link Reader} that finds it in the stream.
 */
public final class Capsules {
    public static final long CLOSE_WEBTRANSPORT_SESSION = 0x2843;
    public static final long DRAIN_WEBTRANSPORT_SESSION = 0x78ae;
    /** Longest close reason in UTF-8 bytes (draft-ietf-webtrans-http3 §6). */
    public static final int MAX_CLOSE_REASON_BYTES = 1024;

    /** A received CLOSE_WEBTRANSPORT_SESSION: the 32-bit application error code and the reason. */
    public record Close(long code, String reason) {}

    private Capsules() {}

    /** True for the reserved capsule types {@code 0x29 * N + 0x17} (RFC 9297 §5.4). */
    public static boolean isGrease(long type) {
        return type >= 0x17 && (type - 0x17) % 0x29 == 0;
    }

    /** A DATA frame holding one CLOSE_WEBTRANSPORT_SESSION capsule; see {@link #writeClose}. */
    public static ByteBuf encodeClose(long code, String reason) {
        ByteBuf out = Unpooled.buffer(16 + Math.min(reason.length() * 3, MAX_CLOSE_REASON_BYTES));
        writeClose(out, code, reason);
        return out;
    }

    /**
     * Writes a DATA frame holding one CLOSE_WEBTRANSPORT_SESSION capsule. A reason longer than
     * {@value #MAX_CLOSE_REASON_BYTES} UTF-8 bytes is cut at a character boundary, since failing
     * the close over a long message would leave the session hanging.
     *
     * @throws IllegalArgumentException if {@code code} is not an unsigned 32-bit value
     */
    public static void writeClose(ByteBuf out, long code, String reason) {
        if (code < 0 || code > 0xffff_ffffL) {
            throw new IllegalArgumentException("WebTransport close code must fit in 32 bits: " + code);
        }
        byte[] text = truncateUtf8(reason, MAX_CLOSE_REASON_BYTES);
        long capsuleLength = 4 + text.length;
        long dataLength = VarInts.size(CLOSE_WEBTRANSPORT_SESSION) + VarInts.size(capsuleLength) + capsuleLength;
        Http3Frames.writeFrameHeader(out, Http3Frames.DATA, dataLength);
        VarInts.write(out, CLOSE_WEBTRANSPORT_SESSION);
        VarInts.write(out, capsuleLength);
        out.writeInt((int) code);
        out.writeBytes(text);
    }

    private static byte[] truncateUtf8(String s, int maxBytes) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xc0) == 0x80) {
            end--; // back off continuation bytes so the cut lands on a character boundary
        }
        return Arrays.copyOf(bytes, end);
    }

    /**
     * Incremental reader for the raw bytes of the CONNECT stream after the request's HEADERS
     * frame: HTTP/3 frames, then the capsules inside DATA payloads. Frames other than DATA are
     * skipped, and capsules may span DATA frames and reads. Only CLOSE_WEBTRANSPORT_SESSION
     * is reported; GREASE, DRAIN_WEBTRANSPORT_SESSION and unknown capsules are skipped without
     * being buffered. Not thread-safe: feed it from the stream's event loop.
     *
     * <p>Feed it first whatever followed the HEADERS frame in the same read (Chromium sends a
     * DATA frame with a GREASE capsule right behind its request), then every later read.
     */
    public static final class Reader {
        private final ByteBuf frameHeader = scratch();
        private final ByteBuf capsuleHeader = scratch();
        private boolean inFrame;
        private boolean frameIsData;
        private long frameRemaining;
        private boolean inCapsule;
        private long capsuleRemaining;
        /** Body of a CLOSE capsule being collected; null while in any other capsule. */
        private byte[] closeBody;
        private int closeBodyLength;
        private Close close;

        /**
         * Consumes all readable bytes of {@code in}.
         *
         * @return the close capsule if it was completed by these bytes
         * @throws Http3Exception H3_MESSAGE_ERROR for a malformed close capsule or for any bytes
         *     after it (draft-ietf-webtrans-http3 §6 requires the stream to end there)
         */
        public Optional<Close> feed(ByteBuf in) {
            Close before = close;
            while (in.isReadable()) {
                if (close != null) {
                    throw new Http3Exception(Http3Exception.H3_MESSAGE_ERROR,
                            "data on the CONNECT stream after CLOSE_WEBTRANSPORT_SESSION");
                }
                if (!inFrame) {
                    Http3Frames.FrameHeader h = accumulate(in, frameHeader);
                    if (h == null) {
                        break;
                    }
                    inFrame = h.length() > 0;
                    frameIsData = h.type() == Http3Frames.DATA;
                    frameRemaining = h.length();
                    continue;
                }
                int n = (int) Math.min(frameRemaining, in.readableBytes());
                if (frameIsData) {
                    capsuleBytes(in.readSlice(n));
                } else {
                    in.skipBytes(n);
                }
                frameRemaining -= n;
                inFrame = frameRemaining > 0;
            }
            return close != before ? Optional.of(close) : Optional.empty();
        }

        /**
         * Call when the CONNECT stream's FIN arrives.
         *
         * @return the close capsule received, or code 0 with an empty reason for a bare FIN
         * @throws Http3Exception H3_FRAME_ERROR if the stream ended inside a frame,
         *     H3_MESSAGE_ERROR if it ended inside a capsule
         */
        public Close finish() {
            if (inFrame || frameHeader.isReadable()) {
                throw new Http3Exception(Http3Exception.H3_FRAME_ERROR, "CONNECT stream ended inside a frame");
            }
            if (inCapsule || capsuleHeader.isReadable()) {
                throw new Http3Exception(Http3Exception.H3_MESSAGE_ERROR, "CONNECT stream ended inside a capsule");
            }
            return close != null ? close : new Close(0, "");
        }

        /** The close capsule, once one has been read. */
        public Optional<Close> close() {
            return Optional.ofNullable(close);
        }

        private void capsuleBytes(ByteBuf data) {
            while (data.isReadable()) {
                if (close != null) {
                    throw new Http3Exception(Http3Exception.H3_MESSAGE_ERROR,
                            "data on the CONNECT stream after CLOSE_WEBTRANSPORT_SESSION");
                }
                if (!inCapsule) {
                    Http3Frames.FrameHeader h = accumulate(data, capsuleHeader);
                    if (h == null) {
                        return;
                    }
                    startCapsule(h.type(), h.length());
                    continue;
                }
                int n = (int) Math.min(capsuleRemaining, data.readableBytes());
                if (closeBody != null) {
                    data.readBytes(closeBody, closeBodyLength, n);
                    closeBodyLength += n;
                } else {
                    data.skipBytes(n);
                }
                capsuleRemaining -= n;
                if (capsuleRemaining == 0) {
                    endCapsule();
                }
            }
        }

        private void startCapsule(long type, long length) {
            if (type == CLOSE_WEBTRANSPORT_SESSION) {
                if (length < 4 || length > 4 + MAX_CLOSE_REASON_BYTES) {
                    throw new Http3Exception(Http3Exception.H3_MESSAGE_ERROR,
                            "CLOSE_WEBTRANSPORT_SESSION capsule of " + length + " bytes (must be 4.."
                                    + (4 + MAX_CLOSE_REASON_BYTES) + ")");
                }
                closeBody = new byte[(int) length];
                closeBodyLength = 0;
            }
            inCapsule = true;
            capsuleRemaining = length;
            if (length == 0) {
                endCapsule();
            }
        }

        private void endCapsule() {
            inCapsule = false;
            if (closeBody != null) {
                ByteBuf body = Unpooled.wrappedBuffer(closeBody);
                long code = body.readUnsignedInt();
                // Lenient decoding: the reason is only for display, so bad UTF-8 should not
                // turn a clean close into a protocol error.
                String reason = body.toString(StandardCharsets.UTF_8);
                closeBody = null;
                close = new Close(code, reason);
            }
        }

        /**
         * Moves bytes one at a time into {@code scratch} until it holds a whole (type, length)
         * header, so no byte beyond the header is taken; at most 16 bytes ever sit there.
         */
        private static Http3Frames.FrameHeader accumulate(ByteBuf in, ByteBuf scratch) {
            while (in.isReadable()) {
                scratch.writeByte(in.readByte());
                Http3Frames.FrameHeader h = Http3Frames.peekFrameHeader(scratch);
                if (h != null) {
                    scratch.clear();
                    return h;
                }
            }
            return null;
        }

        private static ByteBuf scratch() {
            // A plain wrapped array: nothing to release, and 16 bytes fit the longest header.
            return Unpooled.wrappedBuffer(new byte[16]).clear();
        }
    }
}
