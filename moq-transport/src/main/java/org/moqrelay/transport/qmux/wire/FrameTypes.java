package org.moqrelay.transport.qmux.wire;

/** Frame type ids of the QMux drafts and of the legacy {@code webtransport} format. */
final class FrameTypes {
    private FrameTypes() {}

    static final long PADDING = 0x00;
    static final long RESET_STREAM = 0x04;
    static final long STOP_SENDING = 0x05;
    /** STREAM is 0x08 | OFF | LEN | FIN. */
    static final long STREAM = 0x08;
    static final long STREAM_MAX = 0x0f;
    static final long STREAM_OFF = 0x04;
    static final long STREAM_LEN = 0x02;
    static final long STREAM_FIN = 0x01;
    static final long MAX_DATA = 0x10;
    static final long MAX_STREAM_DATA = 0x11;
    static final long MAX_STREAMS_BIDI = 0x12;
    static final long MAX_STREAMS_UNI = 0x13;
    static final long DATA_BLOCKED = 0x14;
    static final long STREAM_DATA_BLOCKED = 0x15;
    static final long STREAMS_BLOCKED_BIDI = 0x16;
    static final long STREAMS_BLOCKED_UNI = 0x17;
    static final long CONNECTION_CLOSE = 0x1c;
    static final long APPLICATION_CLOSE = 0x1d;
    static final long RESET_STREAM_AT = 0x24;
    static final long DATAGRAM = 0x30;
    static final long DATAGRAM_LEN = 0x31;
    /** "\xffQMX\r\n\r\n" read as an 8-byte varint. */
    static final long QX_TRANSPORT_PARAMETERS = 0x3f5153300d0a0d0aL;
    static final long QX_PING_REQUEST = 0x348c67529ef8c7bdL;
    static final long QX_PING_RESPONSE = 0x348c67529ef8c7beL;

    /** Legacy u8 types: STREAM, STREAM with FIN, RESET, STOP_SENDING, CLOSE (transport / application). */
    static final int LEGACY_STREAM = 0x08;
    static final int LEGACY_STREAM_FIN = 0x09;
    static final int LEGACY_RESET_STREAM = 0x04;
    static final int LEGACY_STOP_SENDING = 0x05;
    static final int LEGACY_CONNECTION_CLOSE = 0x1c;
    static final int LEGACY_APPLICATION_CLOSE = 0x1d;
}
