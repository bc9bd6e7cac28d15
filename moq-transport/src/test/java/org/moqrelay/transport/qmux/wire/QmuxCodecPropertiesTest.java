package org.moqrelay.transport.qmux.wire;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ConnectionClose;
import org.moqrelay.transport.qmux.wire.QmuxFrame.DataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Datagram;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreamData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreams;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Padding;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Ping;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStreamAt;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StopSending;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Stream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamDataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamsBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.TransportParameters;
import org.moqrelay.wire.VarInts;

/** Round trips for every frame on every version that has it, and fuzzing of the decoders. */
class QmuxCodecPropertiesTest {

    // --- round trips ---

    @Property(tries = 3000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everyFrameRoundTripsOnEveryVersionThatHasIt(@ForAll("versionAndFrame") Tuple2<QmuxVersion, QmuxFrame> vf) {
        QmuxVersion v = vf.get1();
        QmuxFrame frame = vf.get2();
        Statistics.label("version x frame").collect(v, frame.getClass().getSimpleName());
        ByteBuf message = Unpooled.buffer();
        try {
            QmuxCodec.encode(message, frame, v);
            List<QmuxFrame> decoded = QmuxCodec.decodeMessage(message, v);
            try {
                assertThat(decoded).containsExactly(asDecoded(frame, v));
            } finally {
                QmuxCodec.releaseAll(decoded);
            }
        } finally {
            message.release();
        }
        Statistics.label("version x frame").coverage(checker -> {
            for (QmuxVersion version : QmuxVersion.values()) {
                for (QmuxFrame sample : samples()) {
                    if (QmuxCodec.canEncode(sample, version)) {
                        checker.check(version, sample.getClass().getSimpleName()).count(c -> c > 0);
                    }
                }
            }
        });
    }

    @Property
    void manyFramesInOneMessageDecodeInOrder(@ForAll("versionAndFrames") Tuple2<QmuxVersion, List<QmuxFrame>> vf) {
        QmuxVersion v = vf.get1();
        ByteBuf message = Unpooled.buffer();
        try {
            for (QmuxFrame f : vf.get2()) {
                QmuxCodec.encode(message, f, v);
            }
            List<QmuxFrame> decoded = QmuxCodec.decodeMessage(message, v);
            try {
                assertThat(decoded).containsExactlyElementsOf(mergePadding(vf.get2()));
            } finally {
                QmuxCodec.releaseAll(decoded);
            }
        } finally {
            message.release();
        }
    }

    @Property(tries = 200)
    void aTcpRecordStreamFedByteByByteYieldsTheSameFrames(
            @ForAll("recordLists") List<List<QmuxFrame>> records) {
        ByteBuf wire = Unpooled.buffer();
        ByteBuf body = Unpooled.buffer();
        for (List<QmuxFrame> record : records) {
            body.clear();
            record.forEach(f -> QmuxCodec.encode(body, f, QmuxVersion.QMUX_01));
            QmuxRecords.writeRecord(wire, body);
        }
        body.release();

        ByteBuf cumulation = Unpooled.buffer();
        List<List<QmuxFrame>> got = new ArrayList<>();
        try {
            while (wire.isReadable()) {
                cumulation.writeByte(wire.readByte());
                ByteBuf record;
                while ((record = QmuxRecords.tryReadRecord(cumulation, 1 << 16)) != null) {
                    try {
                        got.add(QmuxCodec.decodeMessage(record, QmuxVersion.QMUX_01));
                    } finally {
                        record.release();
                    }
                }
            }
            assertThat(got).containsExactlyElementsOf(
                    records.stream().map(QmuxCodecPropertiesTest::mergePadding).toList());
            assertThat(cumulation.isReadable()).isFalse();
        } finally {
            got.forEach(QmuxCodec::releaseAll);
            cumulation.release();
            wire.release();
        }
    }

    // --- fuzzing: frames or QmuxException, never anything else, never a leaked slice ---

    @Property(tries = 5000)
    void arbitraryBytesGiveFramesOrQmuxException(@ForAll QmuxVersion v, @ForAll("junk") byte[] bytes) {
        decodeAnything(bytes, v);
    }

    @Property(tries = 3000)
    void truncatedOrCorruptedFramesGiveFramesOrQmuxException(
            @ForAll("versionAndFrame") Tuple2<QmuxVersion, QmuxFrame> vf,
            @ForAll @IntRange(min = 0, max = 4096) int cut,
            @ForAll @IntRange(min = 0, max = 4096) int flipAt,
            @ForAll byte flip) {
        ByteBuf out = Unpooled.buffer();
        QmuxCodec.encode(out, vf.get2(), vf.get1());
        byte[] bytes = Arrays.copyOf(out.array(), out.writerIndex() - cut % (out.writerIndex() + 1));
        out.release();
        if (bytes.length > 0) {
            bytes[flipAt % bytes.length] ^= flip;
        }
        decodeAnything(bytes, vf.get1());
    }

    @Property(tries = 2000)
    void arbitraryRecordStreamsGiveRecordsOrQmuxException(@ForAll("junk") byte[] bytes,
            @ForAll @IntRange(min = 0, max = 64) int maxRecordSize) {
        ByteBuf cumulation = Unpooled.wrappedBuffer(bytes);
        try {
            ByteBuf record;
            while ((record = QmuxRecords.tryReadRecord(cumulation, maxRecordSize)) != null) {
                assertThat(record.readableBytes()).isLessThanOrEqualTo(maxRecordSize);
                record.release();
            }
        } catch (QmuxException expected) {
            assertThat(expected.code()).isEqualTo(QmuxException.PROTOCOL_VIOLATION);
        }
        assertThat(cumulation.refCnt()).isEqualTo(1);
        cumulation.release();
    }

    private static void decodeAnything(byte[] bytes, QmuxVersion v) {
        ByteBuf message = Unpooled.wrappedBuffer(bytes);
        try {
            List<QmuxFrame> frames = QmuxCodec.decodeMessage(message, v);
            assertThat(message.isReadable()).isFalse();
            if (!v.multipleFramesPerMessage()) {
                assertThat(frames).hasSize(1);
            }
            QmuxCodec.releaseAll(frames);
        } catch (QmuxException expected) {
            assertThat(expected.code()).isIn(QmuxException.FRAME_ENCODING_ERROR,
                    QmuxException.TRANSPORT_PARAMETER_ERROR);
        }
        assertThat(message.refCnt()).as("no slice left retained").isEqualTo(1);
        message.release();
    }

    // --- generators ---

    @Provide
    Arbitrary<Tuple2<QmuxVersion, QmuxFrame>> versionAndFrame() {
        return Arbitraries.of(QmuxVersion.class)
                .flatMap(v -> frames().filter(f -> QmuxCodec.canEncode(f, v)).map(f -> Tuple.of(v, f)));
    }

    @Provide
    Arbitrary<Tuple2<QmuxVersion, List<QmuxFrame>>> versionAndFrames() {
        return Arbitraries.of(QmuxVersion.QMUX_01, QmuxVersion.QMUX_02).flatMap(v -> frames()
                .filter(f -> QmuxCodec.canEncode(f, v)).list().ofMinSize(1).ofMaxSize(8).map(l -> Tuple.of(v, l)));
    }

    @Provide
    Arbitrary<List<List<QmuxFrame>>> recordLists() {
        return frames().filter(f -> QmuxCodec.canEncode(f, QmuxVersion.QMUX_01))
                .list().ofMaxSize(4).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        Arbitrary<byte[]> typed = Combinators.combine(Arbitraries.of(TYPE_PREFIXES), tail).as((p, t) -> {
            byte[] b = Arrays.copyOf(p, p.length + t.length);
            System.arraycopy(t, 0, b, p.length, t.length);
            return b;
        });
        return Arbitraries.oneOf(tail, typed);
    }

    /** Encodings of every frame type either format knows, so fuzzing gets past the type. */
    private static final List<byte[]> TYPE_PREFIXES = List.of(
            Hex.bytes("00"), Hex.bytes("04"), Hex.bytes("05"), Hex.bytes("08"), Hex.bytes("09"),
            Hex.bytes("0a"), Hex.bytes("0b"), Hex.bytes("0c"), Hex.bytes("0d"), Hex.bytes("0e"),
            Hex.bytes("0f"), Hex.bytes("10"), Hex.bytes("11"), Hex.bytes("12"), Hex.bytes("13"),
            Hex.bytes("14"), Hex.bytes("15"), Hex.bytes("16"), Hex.bytes("17"), Hex.bytes("1c"),
            Hex.bytes("1d"), Hex.bytes("24"), Hex.bytes("30"), Hex.bytes("31"),
            Hex.bytes("ff 51 53 30 0d 0a 0d 0a"), Hex.bytes("f4 8c 67 52 9e f8 c7 bd"),
            Hex.bytes("f4 8c 67 52 9e f8 c7 be"),
            // a transport parameters frame whose body starts with a known parameter id
            Hex.bytes("ff 51 53 30 0d 0a 0d 0a 10 01"), Hex.bytes("ff 51 53 30 0d 0a 0d 0a 10 1d"),
            Hex.bytes("ff 51 53 30 0d 0a 0d 0a 20 fd 4f 9c 2a 8b 1e 60 75"));

    static Arbitrary<Long> varints() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, VarInts.MAX),
                Arbitraries.longs().between(0, 100),
                Arbitraries.of(63L, 64L, 16383L, 16384L, (1L << 30) - 1, 1L << 30, VarInts.MAX));
    }

    static Arbitrary<Long> counts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, QmuxFrame.MAX_STREAM_COUNT),
                Arbitraries.of(0L, 100L, QmuxFrame.MAX_STREAM_COUNT));
    }

    static Arbitrary<ByteBuf> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(Unpooled::wrappedBuffer);
    }

    static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '-', 'é', '€', '\u0000')
                .ofMaxLength(maxLength);
    }

    static Arbitrary<QmuxParams> params() {
        // idle, data, bidi local, bidi remote, uni, datagram; max_record_size 0 would decode as the default.
        Arbitrary<List<Long>> v6 = varints().list().ofSize(6);
        Arbitrary<List<String>> protocols = text(16).list().ofMaxSize(4);
        return Combinators.combine(v6, counts(), counts(), Arbitraries.longs().between(1, VarInts.MAX),
                Arbitraries.of(true, false), protocols).as((v, bidi, uni, record, rsa, alpn) -> new QmuxParams(
                        v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), bidi, uni, v.get(5), record, rsa, alpn));
    }

    static Arbitrary<QmuxFrame> frames() {
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        return Arbitraries.oneOf(List.of(
                Arbitraries.integers().between(1, 20).map(Padding::new),
                Combinators.combine(varints(), varints(), payloads(), bool).as(Stream::new)
                        .filter(s -> s.offset() + s.data().readableBytes() <= VarInts.MAX),
                Combinators.combine(varints(), varints(), varints()).as(ResetStream::new),
                Combinators.combine(varints(), varints()).as(StopSending::new),
                varints().map(MaxData::new),
                Combinators.combine(varints(), varints()).as(MaxStreamData::new),
                Combinators.combine(bool, counts()).as(MaxStreams::new),
                varints().map(DataBlocked::new),
                Combinators.combine(varints(), varints()).as(StreamDataBlocked::new),
                Combinators.combine(bool, counts()).as(StreamsBlocked::new),
                Combinators.combine(bool, varints(), varints(), text(300))
                        .as((app, code, type, reason) -> new ConnectionClose(app, code, app ? 0 : type, reason)),
                Combinators.combine(varints(), varints(), varints(), varints())
                        .as((id, code, a, b) -> new ResetStreamAt(id, code, Math.max(a, b), Math.min(a, b))),
                payloads().map(Datagram::new),
                params().map(TransportParameters::new),
                Combinators.combine(bool, varints()).as(Ping::new)));
    }

    /** One frame of each kind, for the coverage check. */
    private static List<QmuxFrame> samples() {
        return List.of(new Padding(1), new Stream(0, 0, Unpooled.EMPTY_BUFFER, false), new ResetStream(0, 0, 0),
                new StopSending(0, 0), new MaxData(0), new MaxStreamData(0, 0), new MaxStreams(true, 0),
                new DataBlocked(0), new StreamDataBlocked(0, 0), new StreamsBlocked(true, 0),
                ConnectionClose.application(0, ""), new ResetStreamAt(0, 0, 0, 0),
                new Datagram(Unpooled.EMPTY_BUFFER),
                new TransportParameters(QmuxParams.EMPTY), new Ping(false, 0));
    }

    /** What decoding the encoding of {@code f} yields: the legacy format drops some fields. */
    private static QmuxFrame asDecoded(QmuxFrame f, QmuxVersion v) {
        if (v != QmuxVersion.WEBTRANSPORT) return f;
        return switch (f) {
            case Stream s -> new Stream(s.streamId(), 0, s.data(), s.fin());
            case ResetStream r -> new ResetStream(r.streamId(), r.code(), 0);
            case ConnectionClose c -> new ConnectionClose(c.application(), c.code(), 0, c.reason());
            default -> f;
        };
    }

    /** Adjacent PADDING frames decode as one run. */
    private static List<QmuxFrame> mergePadding(List<QmuxFrame> frames) {
        List<QmuxFrame> out = new ArrayList<>();
        for (QmuxFrame f : frames) {
            if (f instanceof Padding p && !out.isEmpty() && out.get(out.size() - 1) instanceof Padding q) {
                out.set(out.size() - 1, new Padding(p.length() + q.length()));
            } else {
                out.add(f);
            }
        }
        return out;
    }
}
