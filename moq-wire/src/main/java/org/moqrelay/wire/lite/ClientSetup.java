package org.moqrelay.wire.lite;

import java.util.List;
import java.util.Map;

/**
 * Legacy CLIENT_SETUP ({@code 0x20}): the versions the client speaks, most preferred first, and
 * its parameters (even ids carry a varint, odd ids bytes). Used to agree on lite-01/02.
 */
public record ClientSetup(List<Long> versions, Map<Long, byte[]> parameters) {
    public ClientSetup {
        versions = List.copyOf(versions);
        parameters = Map.copyOf(parameters);
    }
}
