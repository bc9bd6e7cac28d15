package org.moqrelay.relay.metrics;

import java.util.List;

/**
 * Why an {@code accept(2)} on a listener failed, as the reference's {@code moq_native::accept::Failure}
 * classifies it. Java reports the errno only as its {@code strerror} text (NIO and epoll alike), so
 * the class is read from the message.
 */
public enum AcceptFailure {
    /** One connection died before it was accepted (reset, aborted, timed out...): junk traffic. */
    CONNECTION("connection"),
    /** The process or system ran out of descriptors, buffers or memory: the listener is stalled. */
    EXHAUSTED("exhausted"),
    /** An error the classifier has not seen. */
    UNKNOWN("unknown");

    // glibc strerror texts of EMFILE and ENFILE, ENOBUFS, ENOMEM.
    private static final List<String> EXHAUSTED_TEXTS = List.of(
            "Too many open files", "No buffer space available", "Cannot allocate memory");
    // ECONNABORTED, ECONNRESET, ETIMEDOUT, EPERM, EPROTO, ENOPROTOOPT, EOPNOTSUPP, EHOSTDOWN,
    // EHOSTUNREACH, ENETDOWN, ENETUNREACH, EINTR, ENONET.
    private static final List<String> CONNECTION_TEXTS = List.of(
            "Software caused connection abort", "Connection reset", "Connection timed out", "Operation not permitted",
            "Protocol error", "Protocol not available", "Operation not supported", "Host is down", "No route to host",
            "Network is down", "Network is unreachable", "Interrupted system call", "Machine is not on the network");

    private final String label;

    AcceptFailure(String label) {
        this.label = label;
    }

    /** The {@code class} label value. */
    public String label() {
        return label;
    }

    /** Classifies the exception an accept failed with. */
    public static AcceptFailure classify(Throwable cause) {
        if (cause instanceof OutOfMemoryError) return EXHAUSTED;
        String message = cause == null ? null : cause.getMessage();
        if (message == null) return UNKNOWN;
        for (String text : EXHAUSTED_TEXTS) {
            if (message.contains(text)) return EXHAUSTED;
        }
        for (String text : CONNECTION_TEXTS) {
            if (message.contains(text)) return CONNECTION;
        }
        return UNKNOWN;
    }
}
