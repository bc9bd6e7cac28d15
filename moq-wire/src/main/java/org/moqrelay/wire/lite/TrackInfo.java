package org.moqrelay.wire.lite;

/**
 * lite-05 TRACK_INFO: the publisher's immutable track properties. Timescale is in units per second
 * and is never 0.
 */
public record TrackInfo(int priority, boolean ordered, long maxLatencyMillis, long timescale) implements LiteMessage {
    /** The reference model's defaults: priority 0, unordered, 5000 ms, milliseconds. */
    public static final TrackInfo DEFAULT = new TrackInfo(0, false, 5000, 1000);
}
