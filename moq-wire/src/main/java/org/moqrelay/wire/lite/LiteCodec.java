package org.moqrelay.wire.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;

/**
 * Encodes and decodes every moq-lite control message for a given version. Pure: no I/O, no
 * session state. Messages are size-prefixed (moq-lite.md §1.1); subscribe responses on lite-03+
 * carry a type varint before the size.
 */
public final class LiteCodec {
    /** Largest control message body accepted; anything bigger is a protocol violation. */
    public static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final int MAX_STRING = 16 * 1024;

    private LiteCodec() {}

    // ---------------------------------------------------------------- encode

    /** Writes {@code m} (with its size prefix, and type id where the version has one) to {@code out}. */
    public static void encode(ByteBuf out, LiteMessage m, LiteVersion v) {
        ByteBuf body = ByteBufAllocator.DEFAULT.heapBuffer(64);
        try {
            long type = -1;
            switch (m) {
                case Setup s -> {
                    VarInts.write(body, s.parameters().size());
                    for (Map.Entry<Long, byte[]> e : s.parameters().entrySet()) {
                        VarInts.write(body, e.getKey());
                        VarInts.write(body, e.getValue().length);
                        body.writeBytes(e.getValue());
                    }
                }
                case AnnounceRequest r -> {
                    writeString(body, r.prefix().toString());
                    if (v.hasExcludeHop()) VarInts.write(body, r.excludeHop());
                }
                case AnnounceOk ok -> {
                    VarInts.write(body, ok.origin());
                    VarInts.write(body, ok.activeCount());
                }
                case Announce a -> {
                    body.writeByte(a.status() == Announce.Status.ENDED ? 0 : 1);
                    writeString(body, a.suffix().toString());
                    if (v == LiteVersion.LITE_03) {
                        VarInts.write(body, a.hops().size());
                    } else if (v.hasExcludeHop()) {
                        VarInts.write(body, a.hops().size());
                        for (long hop : a.hops()) VarInts.write(body, hop);
                    }
                }
                case TrackRequest t -> {
                    writeString(body, t.broadcast().toString());
                    writeString(body, t.track());
                }
                case TrackInfo i -> {
                    body.writeByte(i.priority());
                    body.writeByte(i.ordered() ? 1 : 0);
                    VarInts.write(body, i.maxLatencyMillis());
                    VarInts.write(body, i.timescale());
                }
                case Subscribe s -> {
                    VarInts.write(body, s.id());
                    writeString(body, s.broadcast().toString());
                    writeString(body, s.track());
                    body.writeByte(s.priority());
                    if (v.hasSubscribeOptions()) {
                        body.writeByte(s.ordered() ? 1 : 0);
                        VarInts.write(body, s.maxLatencyMillis());
                        writeOptGroup(body, s.startGroup());
                        writeOptGroup(body, s.endGroup());
                    }
                }
                case SubscribeUpdate u -> {
                    body.writeByte(u.priority());
                    body.writeByte(u.ordered() ? 1 : 0);
                    VarInts.write(body, u.maxLatencyMillis());
                    writeOptGroup(body, u.startGroup());
                    writeOptGroup(body, u.endGroup());
                }
                case SubscribeOk ok -> {
                    if (v == LiteVersion.LITE_01) {
                        body.writeByte(ok.priority());
                    } else if (v != LiteVersion.LITE_02) {
                        type = 0;
                        body.writeByte(ok.priority());
                        body.writeByte(ok.ordered() ? 1 : 0);
                        VarInts.write(body, ok.maxLatencyMillis());
                        writeOptGroup(body, ok.startGroup());
                        writeOptGroup(body, ok.endGroup());
                    }
                }
                case SubscribeStart s -> {
                    type = 0;
                    VarInts.write(body, s.group());
                }
                case SubscribeEnd e -> {
                    type = 1;
                    VarInts.write(body, e.group());
                }
                case SubscribeDrop d -> {
                    type = v.hasSubscribeStart() ? 2 : 1;
                    VarInts.write(body, d.start());
                    VarInts.write(body, d.end());
                    VarInts.write(body, d.errorCode());
                }
                case Fetch f -> {
                    writeString(body, f.broadcast().toString());
                    writeString(body, f.track());
                    body.writeByte(f.priority());
                    VarInts.write(body, f.group());
                }
                case Probe p -> {
                    VarInts.write(body, p.bitrate());
                    if (v.hasExcludeHop()) VarInts.write(body, p.rttMillis());
                }
                case Goaway g -> writeString(body, g.uri());
                case AnnounceInit init -> {
                    VarInts.write(body, init.suffixes().size());
                    for (Path p : init.suffixes()) writeString(body, p.toString());
                }
                case SessionInfo info -> VarInts.write(body, info.bitrate());
                case GroupHeader g -> {
                    VarInts.write(body, g.subscribeId());
                    VarInts.write(body, g.sequence());
                }
            }
            if (type >= 0) VarInts.write(out, type);
            VarInts.write(out, body.readableBytes());
            out.writeBytes(body);
        } finally {
            body.release();
        }
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        VarInts.write(out, b.length);
        out.writeBytes(b);
    }

    private static void writeOptGroup(ByteBuf out, Long g) {
        VarInts.write(out, g == null ? 0 : g + 1);
    }

    // ---------------------------------------------------------------- decode

    /**
     * Decodes one message of {@code kind} from the reader index of {@code in}. Returns null and
     * consumes nothing when the whole message has not arrived yet.
     *
     * @throws DecodeException on any malformed or oversize message
     */
    public static LiteMessage decode(ByteBuf in, MessageKind kind, LiteVersion v) {
        int start = in.readerIndex();
        long type = -1;
        boolean typed = kind == MessageKind.SUBSCRIBE_RESPONSE && v.hasSubscribeOptions();
        if (typed) {
            int n = VarInts.peekLength(in);
            if (n < 0) return null;
            type = VarInts.getAt(in, start);
            in.skipBytes(n);
        }
        int n = VarInts.peekLength(in);
        if (n < 0) {
            in.readerIndex(start);
            return null;
        }
        long size = VarInts.getAt(in, in.readerIndex());
        if (size > MAX_MESSAGE_SIZE) {
            throw new DecodeException(ErrorCode.DECODE, kind + " message too large: " + size + " bytes");
        }
        if (in.readableBytes() < n + size) {
            in.readerIndex(start);
            return null;
        }
        in.skipBytes(n);
        ByteBuf body = in.readSlice((int) size);
        LiteMessage m = decodeBody(body, kind, type, v);
        if (body.isReadable()) {
            throw new DecodeException(ErrorCode.DECODE, kind + " has " + body.readableBytes() + " trailing bytes");
        }
        return m;
    }

    private static LiteMessage decodeBody(ByteBuf b, MessageKind kind, long type, LiteVersion v) {
        return switch (kind) {
            case SETUP -> {
                int count = VarInts.readInt(b, Setup.MAX_PARAMETERS, "SETUP parameter count");
                Map<Long, byte[]> params = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    long id = VarInts.read(b);
                    byte[] value = new byte[VarInts.readLength(b, "SETUP parameter " + id)];
                    b.readBytes(value);
                    if (params.put(id, value) != null) {
                        throw new DecodeException(ErrorCode.DUPLICATE, "duplicate SETUP parameter " + id);
                    }
                }
                yield new Setup(params);
            }
            case ANNOUNCE_REQUEST -> new AnnounceRequest(readPath(b), v.hasExcludeHop() ? VarInts.read(b) : 0);
            case ANNOUNCE_OK -> new AnnounceOk(VarInts.read(b), VarInts.read(b));
            case ANNOUNCE -> {
                int status = readU8(b);
                if (status > 2) throw new DecodeException(ErrorCode.DECODE, "bad ANNOUNCE status " + status);
                Announce.Status st = status == 0 ? Announce.Status.ENDED
                        : status == 1 ? Announce.Status.ACTIVE : Announce.Status.RESTART;
                if (st == Announce.Status.RESTART && !v.hasSubscribeStart()) {
                    throw new DecodeException(ErrorCode.DECODE, "ANNOUNCE restart before lite-05");
                }
                Path suffix = readPath(b);
                List<Long> hops = new ArrayList<>();
                if (v == LiteVersion.LITE_03) {
                    int count = VarInts.readInt(b, Announce.MAX_HOPS, "hop count");
                    for (int i = 0; i < count; i++) hops.add(0L);
                } else if (v.hasExcludeHop()) {
                    int count = VarInts.readInt(b, Announce.MAX_HOPS, "hop count");
                    for (int i = 0; i < count; i++) hops.add(VarInts.read(b));
                }
                yield new Announce(st, suffix, hops);
            }
            case TRACK -> new TrackRequest(readPath(b), readString(b));
            case TRACK_INFO -> {
                int prio = readU8(b);
                boolean ordered = readBool(b);
                long latency = VarInts.read(b);
                long timescale = VarInts.read(b);
                if (timescale == 0) throw new DecodeException(ErrorCode.DECODE, "TRACK_INFO timescale 0");
                yield new TrackInfo(prio, ordered, latency, timescale);
            }
            case SUBSCRIBE -> {
                long id = VarInts.read(b);
                Path path = readPath(b);
                String track = readString(b);
                int prio = readU8(b);
                if (!v.hasSubscribeOptions()) {
                    yield new Subscribe(id, path, track, prio, false, 0, null, null);
                }
                boolean ordered = readU8(b) != 0;
                long latency = VarInts.read(b);
                yield new Subscribe(id, path, track, prio, ordered, latency, readOptGroup(b), readOptGroup(b));
            }
            case SUBSCRIBE_UPDATE -> {
                if (!v.hasSubscribeOptions()) {
                    throw new DecodeException(ErrorCode.UNEXPECTED_MESSAGE, "SUBSCRIBE_UPDATE before lite-03");
                }
                int prio = readU8(b);
                boolean ordered = readU8(b) != 0;
                long latency = VarInts.read(b);
                yield new SubscribeUpdate(prio, ordered, latency, readOptGroup(b), readOptGroup(b));
            }
            case SUBSCRIBE_RESPONSE -> decodeSubscribeResponse(b, type, v);
            case FETCH -> new Fetch(readPath(b), readString(b), readU8(b), VarInts.read(b));
            case PROBE -> new Probe(VarInts.read(b), v.hasExcludeHop() ? VarInts.read(b) : 0);
            case GOAWAY -> new Goaway(readString(b));
            case GROUP -> new GroupHeader(VarInts.read(b), VarInts.read(b));
            case ANNOUNCE_INIT -> {
                int count = VarInts.readInt(b, 1 << 16, "ANNOUNCE_INIT count");
                List<Path> suffixes = new ArrayList<>();
                for (int i = 0; i < count; i++) suffixes.add(readPath(b));
                yield new AnnounceInit(suffixes);
            }
            case SESSION_INFO -> new SessionInfo(VarInts.read(b));
        };
    }

    private static LiteMessage decodeSubscribeResponse(ByteBuf b, long type, LiteVersion v) {
        if (v == LiteVersion.LITE_01) return new SubscribeOk(readU8(b), false, 0, null, null);
        if (v == LiteVersion.LITE_02) return new SubscribeOk(0, false, 0, null, null);
        if (!v.hasSubscribeStart()) {
            if (type == 0) {
                int prio = readU8(b);
                boolean ordered = readU8(b) != 0;
                long latency = VarInts.read(b);
                return new SubscribeOk(prio, ordered, latency, readOptGroup(b), readOptGroup(b));
            }
            if (type == 1) return new SubscribeDrop(VarInts.read(b), VarInts.read(b), VarInts.read(b));
        } else {
            if (type == 0) return new SubscribeStart(VarInts.read(b));
            if (type == 1) return new SubscribeEnd(VarInts.read(b));
            if (type == 2) return new SubscribeDrop(VarInts.read(b), VarInts.read(b), VarInts.read(b));
        }
        throw new DecodeException(ErrorCode.UNEXPECTED_MESSAGE, "unknown subscribe response type " + type);
    }

    private static int readU8(ByteBuf b) {
        if (!b.isReadable()) throw new DecodeException(ErrorCode.DECODE, "truncated message");
        return b.readUnsignedByte();
    }

    private static boolean readBool(ByteBuf b) {
        int x = readU8(b);
        if (x > 1) throw new DecodeException(ErrorCode.DECODE, "bad bool " + x);
        return x == 1;
    }

    private static Long readOptGroup(ByteBuf b) {
        long v = VarInts.read(b);
        return v == 0 ? null : v - 1;
    }

    /** Reads a varint-length UTF-8 string; invalid UTF-8 is a decode error. */
    public static String readString(ByteBuf b) {
        int len = VarInts.readInt(b, MAX_STRING, "string length");
        if (b.readableBytes() < len) throw new DecodeException(ErrorCode.DECODE, "truncated string");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.readSlice(len).nioBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(ErrorCode.DECODE, "invalid UTF-8 string");
        }
    }

    private static Path readPath(ByteBuf b) {
        Path p = Path.of(readString(b));
        if (p.parts() > Path.MAX_PARTS) {
            throw new DecodeException(ErrorCode.DECODE, "path has more than " + Path.MAX_PARTS + " parts");
        }
        return p;
    }
}
