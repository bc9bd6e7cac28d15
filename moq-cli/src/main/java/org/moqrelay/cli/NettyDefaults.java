package org.moqrelay.cli;

import io.netty.util.ResourceLeakDetector;

/** Netty settings for the packaged commands (tests keep Netty's own defaults). */
final class NettyDefaults {
    private NettyDefaults() {}

    /**
     * Turns buffer leak tracking off unless the operator asked for a level: its sampled stack
     * traces cost about 1 % of the relay's CPU under fan-out, and the test suite keeps it on.
     */
    static void apply() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
