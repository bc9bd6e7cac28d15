package org.moqrelay.model;

import org.moqrelay.wire.ErrorCode;

/** A track could not be served; {@link #code()} is what to reset the request with. */
public final class TrackException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public TrackException(ErrorCode code) {
        super(code.name(), null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
