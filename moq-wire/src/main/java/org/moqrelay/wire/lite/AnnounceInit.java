package org.moqrelay.wire.lite;

import java.util.List;
import org.moqrelay.wire.Path;

/** lite-01/02 ANNOUNCE_INIT: every broadcast active under the prefix when the request arrived. */
public record AnnounceInit(List<Path> suffixes) implements LiteMessage {
    public AnnounceInit {
        suffixes = List.copyOf(suffixes);
    }
}
