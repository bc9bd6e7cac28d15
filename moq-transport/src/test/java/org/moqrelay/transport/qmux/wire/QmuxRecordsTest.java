package org.moqrelay.transport.qmux.wire;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ConnectionClose;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Ping;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Stream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.TransportParameters;

/** TCP records: {@code Size (i) | frames}, read from a cumulation that grows byte by byte. */
class QmuxRecordsTest {

    @Test
    void aRecordIsItsSizeThenItsFrames() {
        ByteBuf frames = Hex.buf("0e 00 00 02 01 02");
        ByteBuf out = Unpooled.buffer();
        QmuxRecords.writeRecord(out, frames);
        assertThat(Hex.of(out)).isEqualTo("06 0e 00 00 02 01 02");
        assertThat(frames.readerIndex()).isZero();
        frames.release();
        out.release();
    }

    @Test
    void recordsFedOneByteAtATimeComeOutWholeAndInOrder() {
        // params record, then STREAM + PING in one record, then an empty record, then a close
        ByteBuf wire = Hex.buf("""
                0c ff 51 53 30 0d 0a 0d 0a 03 04 01 05
                0f 0e 00 00 02 01 02 f4 8c 67 52 9e f8 c7 bd 01
                00
                04 1d 06 01 'x'
                """);
        ByteBuf cumulation = Unpooled.buffer();
        List<List<QmuxFrame>> records = new ArrayList<>();
        int nulls = 0;
        while (wire.isReadable()) {
            cumulation.writeByte(wire.readByte());
            ByteBuf record;
            while ((record = QmuxRecords.tryReadRecord(cumulation, 16382)) != null) {
                records.add(QmuxCodec.decodeMessage(record, QmuxVersion.QMUX_01));
                record.release();
            }
            if (cumulation.isReadable()) nulls++;
        }
        assertThat(records).containsExactly(
                List.of(new TransportParameters(new QmuxParams(0, 5, 0, 0, 0, 0, 0, 0, 16382, false, List.of()))),
                List.of(new Stream(0, 0, Hex.buf("01 02"), false), new Ping(false, 1)),
                List.of(),
                List.of(ConnectionClose.application(6, "x")));
        assertThat(nulls).isPositive();
        assertThat(cumulation.isReadable()).isFalse();
        records.forEach(QmuxCodec::releaseAll);
        assertThat(cumulation.refCnt()).isEqualTo(1);
        cumulation.release();
        wire.release();
    }

    @Test
    void anIncompleteRecordConsumesNothing() {
        ByteBuf cumulation = Unpooled.buffer().writeBytes(Hex.bytes("40"));
        assertThat(QmuxRecords.tryReadRecord(cumulation, 16382)).isNull();
        cumulation.writeBytes(Hex.bytes("05 aa bb"));
        assertThat(QmuxRecords.tryReadRecord(cumulation, 16382)).isNull();
        assertThat(cumulation.readerIndex()).isZero();
        cumulation.writeBytes(Hex.bytes("cc dd ee ff"));
        ByteBuf record = QmuxRecords.tryReadRecord(cumulation, 16382);
        assertThat(Hex.of(record)).isEqualTo("aa bb cc dd ee");
        assertThat(Hex.of(cumulation)).isEqualTo("ff");
        record.release();
        cumulation.release();
    }

    @Test
    void anOversizedRecordIsRefusedAsSoonAsItsSizeIsKnown() {
        ByteBuf cumulation = Hex.buf("7f ff");
        QmuxException e = catchThrowableOfType(QmuxException.class,
                () -> QmuxRecords.tryReadRecord(cumulation, 16382));
        assertThat(e.code()).isEqualTo(QmuxException.PROTOCOL_VIOLATION);
        cumulation.release();
    }

    @Test
    void aRecordOfExactlyTheMaximumIsAccepted() {
        ByteBuf cumulation = Unpooled.buffer();
        cumulation.writeBytes(Hex.bytes("7f fe"));
        cumulation.writeZero(16382);
        ByteBuf record = QmuxRecords.tryReadRecord(cumulation, 16382);
        assertThat(record.readableBytes()).isEqualTo(16382);
        List<QmuxFrame> frames = QmuxCodec.decodeMessage(record, QmuxVersion.QMUX_01);
        assertThat(frames).containsExactly(new QmuxFrame.Padding(16382));
        record.release();
        cumulation.release();
    }
}
