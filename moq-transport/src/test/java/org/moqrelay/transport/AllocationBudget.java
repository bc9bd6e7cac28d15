package org.moqrelay.transport;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Measures the heap a decoder allocates on the calling thread, so a fuzz target can fail when a
 * decoder allocates in proportion to a length field it has not checked against the input.
 */
public final class AllocationBudget {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationBudget() {}

    /**
     * Runs {@code decode} and returns its result, failing if it allocated more than {@code limit}
     * bytes. The first run of a code path loads (and, when fuzzing, instruments) classes on this
     * thread, so an over-budget run is repeated once and only the repeat counts; decoders are pure.
     */
    public static <T> T within(long limit, String what, Supplier<T> decode) {
        long before = allocated();
        T result = decode.get();
        long used = allocated() - before;
        if (used > limit) {
            before = allocated();
            result = decode.get();
            used = allocated() - before;
            if (used > limit) {
                throw new AssertionError(what + " allocated " + used + " bytes (budget " + limit + ")");
            }
        }
        return result;
    }

    private static long allocated() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
