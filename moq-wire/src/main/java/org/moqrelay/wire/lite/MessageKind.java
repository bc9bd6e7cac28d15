package org.moqrelay.wire.lite;

/** Which message the decoder expects next; moq-lite carries no type id for most messages. */
public enum MessageKind {
    SETUP, ANNOUNCE_REQUEST, ANNOUNCE_OK, ANNOUNCE, TRACK, TRACK_INFO, SUBSCRIBE, SUBSCRIBE_UPDATE,
    SUBSCRIBE_RESPONSE, FETCH, PROBE, GOAWAY, GROUP,
    /** lite-01/02 only. */
    ANNOUNCE_INIT,
    /** lite-01/02 session stream only. */
    SESSION_INFO
}
