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

    /** The code a failed future carries ({@code fallback} for anything but a TrackException). */
    public static ErrorCode codeOf(Throwable failure, ErrorCode fallback) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        return t instanceof TrackException e ? e.code() : fallback;
    }
}
