package org.moqrelay.wire.lite;

/** The varint that opens every moq-lite stream (moq-lite.md §3). */
public final class StreamType {
    public static final int BIDI_ANNOUNCE = 0x01;
    public static final int BIDI_SUBSCRIBE = 0x02;
    public static final int BIDI_FETCH = 0x03;
    public static final int BIDI_PROBE = 0x04;
    public static final int BIDI_GOAWAY = 0x05;
    public static final int BIDI_TRACK = 0x06;
    /** Legacy CLIENT_SETUP, first bidi stream of lite-01/02 and draft-14. */
    public static final int BIDI_CLIENT_SETUP = 0x20;
    public static final int UNI_GROUP = 0x00;
    public static final int UNI_SETUP = 0x01;

    private StreamType() {}
}
