package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;

/**
 * jqwik properties of {@link LiteCodec}: round trips of arbitrary valid records on every version
 * that has them, robustness against arbitrary bytes, incremental arrival, and the size cap.
 */
class LiteCodecPropertiesTest {

    /** One message as it would travel on {@code version}, decoded as {@code kind}. */
    record Case(LiteVersion version, MessageKind kind, LiteMessage message) {}

    // ================================================================ generators

    private static Arbitrary<Long> varint() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, VarInts.MAX),
                Arbitraries.of(0L, 63L, 64L, 16383L, 16384L, (1L << 30) - 1, 1L << 30, VarInts.MAX));
    }

    /** An opt-group: absent, or a sequence whose +1 form is still a varint. */
    private static Arbitrary<Long> optGroup() {
        return Arbitraries.longs().between(0, VarInts.MAX - 1).injectNull(0.3);
    }

    private static Arbitrary<Integer> u8() {
        return Arbitraries.integers().between(0, 255);
    }

    private static Arbitrary<Boolean> bool() {
        return Arbitraries.of(true, false);
    }

    /** Text that survives UTF-8 (no lone surrogates), including multi-byte characters. */
    private static Arbitrary<String> text() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withCharRange('\u00a0', '\u07ff')
                .withCharRange('\u3000', '\ud7ff')
                .ofMaxLength(24);
    }

    /** Paths of 0 to 32 segments (the decode limit). */
    private static Arbitrary<Path> path() {
        Arbitrary<String> segment = Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('0', '9').withChars("-_.é漢")
                .ofMinLength(1).ofMaxLength(8);
        return segment.list().ofMaxSize(Path.MAX_PARTS).map(parts -> Path.of(String.join("/", parts)));
    }

    private static Arbitrary<List<Long>> hops(LiteVersion v) {
        if (v == LiteVersion.LITE_03) {
            // lite-03 carries only the count; the ids come back as 0 (unknown).
            return Arbitraries.integers().between(0, Announce.MAX_HOPS).map(n -> Collections.nCopies(n, 0L));
        }
        if (v.hasExcludeHop()) return varint().list().ofMaxSize(Announce.MAX_HOPS);
        return Arbitraries.just(List.of());
    }

    private static Arbitrary<Setup> setup() {
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
        return Arbitraries.maps(varint(), value).ofMaxSize(Setup.MAX_PARAMETERS).map(Setup::new);
    }

    /** For {@code v}, a generator of valid records for every message kind that version has. */
    static Map<MessageKind, Arbitrary<? extends LiteMessage>> generators(LiteVersion v) {
        Map<MessageKind, Arbitrary<? extends LiteMessage>> g = new EnumMap<>(MessageKind.class);

        g.put(MessageKind.ANNOUNCE_REQUEST, v.hasExcludeHop()
                ? Combinators.combine(path(), varint()).as(AnnounceRequest::new)
                : path().map(p -> new AnnounceRequest(p, 0)));
        // RESTART is decode-only (it encodes as ACTIVE), so round trips use the two sendable states.
        g.put(MessageKind.ANNOUNCE, Combinators.combine(
                Arbitraries.of(Announce.Status.ENDED, Announce.Status.ACTIVE), path(), hops(v)).as(Announce::new));
        g.put(MessageKind.SUBSCRIBE, v.hasSubscribeOptions()
                ? Combinators.combine(varint(), path(), text(), u8(), bool(), varint(), optGroup(), optGroup())
                        .as(Subscribe::new)
                : Combinators.combine(varint(), path(), text(), u8())
                        .as((id, p, t, prio) -> new Subscribe(id, p, t, prio, false, 0, null, null)));
        g.put(MessageKind.GROUP, Combinators.combine(varint(), varint()).as(GroupHeader::new));

        Arbitrary<SubscribeDrop> drop = Combinators.combine(varint(), varint(), varint()).as(SubscribeDrop::new);
        switch (v) {
            case LITE_01 -> g.put(MessageKind.SUBSCRIBE_RESPONSE,
                    u8().map(prio -> new SubscribeOk(prio, false, 0, null, null)));
            case LITE_02 -> g.put(MessageKind.SUBSCRIBE_RESPONSE,
                    Arbitraries.just(new SubscribeOk(0, false, 0, null, null)));
            case LITE_03, LITE_04 -> g.put(MessageKind.SUBSCRIBE_RESPONSE, Arbitraries.oneOf(
                    Combinators.combine(u8(), bool(), varint(), optGroup(), optGroup()).as(SubscribeOk::new),
                    drop));
            default -> g.put(MessageKind.SUBSCRIBE_RESPONSE, Arbitraries.oneOf(
                    varint().map(SubscribeStart::new), varint().map(SubscribeEnd::new), drop));
        }

        if (v.hasSubscribeOptions()) {
            g.put(MessageKind.SUBSCRIBE_UPDATE,
                    Combinators.combine(u8(), bool(), varint(), optGroup(), optGroup()).as(SubscribeUpdate::new));
            g.put(MessageKind.FETCH, Combinators.combine(path(), text(), u8(), varint()).as(Fetch::new));
            g.put(MessageKind.PROBE, v.hasExcludeHop()
                    ? Combinators.combine(varint(), varint()).as(Probe::new)
                    : varint().map(b -> new Probe(b, 0)));
        }
        if (v.hasExcludeHop()) {
            g.put(MessageKind.GOAWAY, text().map(Goaway::new));
        }
        if (v.hasSetupStream()) {
            g.put(MessageKind.SETUP, setup());
        }
        if (v.hasAnnounceOk()) {
            g.put(MessageKind.ANNOUNCE_OK, Combinators.combine(varint(), varint()).as(AnnounceOk::new));
        }
        if (v.hasAnnounceInit()) {
            g.put(MessageKind.ANNOUNCE_INIT, path().list().ofMaxSize(5).map(AnnounceInit::new));
            g.put(MessageKind.SESSION_INFO, varint().map(SessionInfo::new));
        }
        if (v.hasTrackStream()) {
            g.put(MessageKind.TRACK, Combinators.combine(path(), text()).as(TrackRequest::new));
            g.put(MessageKind.TRACK_INFO, Combinators.combine(u8(), bool(), varint(),
                    Arbitraries.longs().between(1, VarInts.MAX)).as(TrackInfo::new));
        }
        return g;
    }

    @Provide
    Arbitrary<Case> messages() {
        return Arbitraries.of(LiteVersion.values()).flatMap(v -> Arbitraries.oneOf(
                generators(v).entrySet().stream()
                        .map(e -> e.getValue().map(m -> new Case(v, e.getKey(), m)))
                        .toList()));
    }

    @Test
    void everyVersionHasAGeneratorForEveryKindItSupports() {
        Set<MessageKind> all = Set.of(MessageKind.ANNOUNCE_REQUEST, MessageKind.ANNOUNCE, MessageKind.SUBSCRIBE,
                MessageKind.SUBSCRIBE_RESPONSE, MessageKind.GROUP);
        Set<MessageKind> legacy = union(all, MessageKind.ANNOUNCE_INIT, MessageKind.SESSION_INFO);
        Set<MessageKind> lite03 = union(all, MessageKind.SUBSCRIBE_UPDATE, MessageKind.FETCH, MessageKind.PROBE);
        Set<MessageKind> lite04 = union(lite03, MessageKind.GOAWAY);
        assertThat(generators(LiteVersion.LITE_01).keySet()).isEqualTo(legacy);
        assertThat(generators(LiteVersion.LITE_02).keySet()).isEqualTo(legacy);
        assertThat(generators(LiteVersion.LITE_03).keySet()).isEqualTo(lite03);
        assertThat(generators(LiteVersion.LITE_04).keySet()).isEqualTo(lite04);
        assertThat(generators(LiteVersion.LITE_05).keySet())
                .isEqualTo(EnumSet.complementOf(EnumSet.of(MessageKind.ANNOUNCE_INIT, MessageKind.SESSION_INFO)));
    }

    private static Set<MessageKind> union(Set<MessageKind> base, MessageKind... more) {
        EnumSet<MessageKind> s = EnumSet.copyOf(base);
        s.addAll(List.of(more));
        return s;
    }

    private static byte[] encode(Case c) {
        ByteBuf out = Unpooled.buffer();
        LiteCodec.encode(out, c.message(), c.version());
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    // ================================================================ round trips

    @Property(tries = 3000)
    void decodeOfEncodeIsTheSameMessage(@ForAll("messages") Case c) {
        byte[] wire = encode(c);
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        assertThat(LiteCodec.decode(in, c.kind(), c.version())).isEqualTo(c.message());
        assertThat(in.isReadable()).as("whole message consumed").isFalse();
    }

    @Property
    void decodeStopsAtTheEndOfTheMessage(@ForAll("messages") Case c, @ForAll @Size(max = 8) byte[] trailing) {
        byte[] wire = encode(c);
        ByteBuf in = Unpooled.buffer().writeBytes(wire).writeBytes(trailing);
        assertThat(LiteCodec.decode(in, c.kind(), c.version())).isEqualTo(c.message());
        assertThat(in.readerIndex()).isEqualTo(wire.length);
    }

    @Property
    void encodingIsDeterministic(@ForAll("messages") Case c) {
        assertThat(encode(c)).isEqualTo(encode(c));
    }

    // ================================================================ incremental arrival

    @Property(tries = 500)
    void everyStrictPrefixOfAMessageIsIncompleteAndConsumesNothing(@ForAll("messages") Case c) {
        byte[] wire = encode(c);
        for (int n = 0; n < wire.length; n++) {
            ByteBuf prefix = Unpooled.wrappedBuffer(wire, 0, n);
            assertThat(LiteCodec.decode(prefix, c.kind(), c.version())).as("prefix of %d/%d bytes", n, wire.length)
                    .isNull();
            assertThat(prefix.readerIndex()).isZero();
        }
    }

    @Property
    void aMessageArrivingInRandomSlicesDecodesOnlyOnceComplete(
            @ForAll("messages") Case c, @ForAll @Size(min = 1, max = 16) List<@IntRange(min = 1, max = 9) Integer> slices) {
        byte[] wire = encode(c);
        ByteBuf cumulation = Unpooled.buffer();
        int written = 0;
        int i = 0;
        LiteMessage decoded = null;
        while (written < wire.length) {
            int n = Math.min(slices.get(i++ % slices.size()), wire.length - written);
            cumulation.writeBytes(wire, written, n);
            written += n;
            decoded = LiteCodec.decode(cumulation, c.kind(), c.version());
            if (written < wire.length) {
                assertThat(decoded).as("after %d/%d bytes", written, wire.length).isNull();
                assertThat(cumulation.readerIndex()).isZero();
            }
        }
        assertThat(decoded).isEqualTo(c.message());
        assertThat(cumulation.isReadable()).isFalse();
    }

    // ================================================================ robustness

    /** A decode outcome that is not a message, null or DecodeException fails the test. */
    private static void decodeSafely(byte[] bytes, MessageKind kind, LiteVersion v) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            LiteMessage m = LiteCodec.decode(in, kind, v);
            if (m == null) {
                assertThat(in.readerIndex()).as("%s on %s: null consumes nothing", kind, v).isZero();
            } else {
                assertThat(in.readerIndex()).as("%s on %s: a message consumes bytes", kind, v).isPositive();
            }
        } catch (DecodeException e) {
            assertThat(e.code()).as("%s on %s: error code", kind, v).isNotNull();
        } catch (RuntimeException e) {
            fail("%s on %s threw %s for %s", kind, v, e, org.moqrelay.wire.Hex.of(bytes));
        }
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveAMessageNullOrDecodeExceptionForEveryKindAndVersion(@ForAll @Size(max = 48) byte[] bytes) {
        for (LiteVersion v : LiteVersion.values()) {
            for (MessageKind kind : MessageKind.values()) {
                decodeSafely(bytes, kind, v);
            }
        }
    }

    @Property(tries = 2000)
    void arbitraryBodiesBehindAValidLengthGiveAMessageOrDecodeException(
            @ForAll @IntRange(min = 0, max = 3) int type, @ForAll @Size(max = 40) byte[] body) {
        for (LiteVersion v : LiteVersion.values()) {
            for (MessageKind kind : MessageKind.values()) {
                ByteBuf framed = Unpooled.buffer();
                if (kind == MessageKind.SUBSCRIBE_RESPONSE && v.hasSubscribeOptions()) VarInts.write(framed, type);
                VarInts.write(framed, body.length);
                framed.writeBytes(body);
                byte[] bytes = new byte[framed.readableBytes()];
                framed.readBytes(bytes);
                ByteBuf in = Unpooled.wrappedBuffer(bytes);
                try {
                    LiteMessage m = LiteCodec.decode(in, kind, v);
                    assertThat(m).as("%s on %s: a complete message is never null", kind, v).isNotNull();
                    assertThat(in.isReadable()).isFalse();
                } catch (DecodeException e) {
                    assertThat(e.code()).isNotNull();
                } catch (RuntimeException e) {
                    fail("%s on %s threw %s for %s", kind, v, e, org.moqrelay.wire.Hex.of(bytes));
                }
            }
        }
    }

    @Property(tries = 2000)
    void corruptedValidMessagesGiveAMessageNullOrDecodeException(
            @ForAll("messages") Case c, @ForAll @IntRange(min = 0, max = 4096) int position, @ForAll byte value,
            @ForAll boolean insert) {
        byte[] wire = encode(c);
        byte[] bad;
        int at = position % (wire.length + 1);
        if (insert || at == wire.length) {
            bad = new byte[wire.length + 1];
            System.arraycopy(wire, 0, bad, 0, at);
            bad[at] = value;
            System.arraycopy(wire, at, bad, at + 1, wire.length - at);
        } else {
            bad = wire.clone();
            bad[at] = value;
        }
        for (MessageKind kind : MessageKind.values()) {
            decodeSafely(bad, kind, c.version());
        }
    }

    // ================================================================ size cap

    @ParameterizedTest(name = "{0}")
    @EnumSource(LiteVersion.class)
    void aMessageOfExactlyTheMaximumSizeWaitsForItsBody(LiteVersion v) {
        for (MessageKind kind : MessageKind.values()) {
            ByteBuf in = Unpooled.buffer();
            if (kind == MessageKind.SUBSCRIBE_RESPONSE && v.hasSubscribeOptions()) VarInts.write(in, 0);
            VarInts.write(in, LiteCodec.MAX_MESSAGE_SIZE);
            in.writeZero(100);
            assertThat(LiteCodec.decode(in, kind, v)).as("%s on %s", kind, v).isNull();
            assertThat(in.readerIndex()).isZero();
        }
    }

    @Property(tries = 300)
    void anOversizeLengthIsRejectedAsSoonAsTheLengthIsReadable(
            @ForAll @LongRange(min = LiteCodec.MAX_MESSAGE_SIZE + 1L, max = VarInts.MAX) long size,
            @ForAll @IntRange(min = 0, max = 2) int type) {
        for (LiteVersion v : LiteVersion.values()) {
            for (MessageKind kind : MessageKind.values()) {
                ByteBuf in = Unpooled.buffer();
                if (kind == MessageKind.SUBSCRIBE_RESPONSE && v.hasSubscribeOptions()) VarInts.write(in, type);
                VarInts.write(in, size);  // no body bytes at all
                assertThatThrownBy(() -> LiteCodec.decode(in, kind, v)).as("%s on %s, size %d", kind, v, size)
                        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isNotNull());
            }
        }
    }
}
