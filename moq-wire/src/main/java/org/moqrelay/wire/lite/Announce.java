package org.moqrelay.wire.lite;

import java.util.List;
import org.moqrelay.wire.Path;

/**
 * ANNOUNCE: a broadcast under the requested prefix became active or ended. {@code hops} is the
 * hop-id chain (lite-04/05; lite-03 carries only its length, decoded as zeros).
 */
public record Announce(Status status, Path suffix, List<Long> hops) implements LiteMessage {
    /** Maximum hop-list length; longer lists are a decode error. */
    public static final int MAX_HOPS = 32;

    public Announce {
        hops = List.copyOf(hops);
    }

    public enum Status {
        ENDED(0), ACTIVE(1), RESTART(2);

        private final int wire;

        Status(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }
    }

    public boolean active() {
        return status != Status.ENDED;
    }
}
