package org.moqrelay.token.cli;

/** A command failure with the reference's context message; the cause, if any, is printed under it. */
final class CliFailure extends RuntimeException {
    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
