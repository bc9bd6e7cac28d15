package org.moqrelay.wire.lite;

/** PROBE: bitrate in bits per second and RTT in ms (RTT only on lite-04+); 0 = unknown. */
public record Probe(long bitrate, long rttMillis) implements LiteMessage {
}
