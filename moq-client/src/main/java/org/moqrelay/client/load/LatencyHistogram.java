package org.moqrelay.client.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram in microseconds: exact below 1024 µs, then 512 linear
 * sub-buckets per power of two (about 0.2 % resolution). Recording is one atomic increment, so the
 * event-loop threads of many clients may record into one histogram.
 */
public final class LatencyHistogram {
    private static final int SUB = 1024;
    private static final int HALF = SUB / 2;
    private static final int MAX_SHIFT = 40;
    private final AtomicLongArray counts = new AtomicLongArray(SUB + HALF * MAX_SHIFT);
    private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sum = new java.util.concurrent.atomic.AtomicLong();

    static int index(long micros) {
        if (micros < 0) micros = 0;
        if (micros < SUB) return (int) micros;
        int shift = 63 - Long.numberOfLeadingZeros(micros) - 9; // micros >>> shift is in [512, 1023]
        if (shift > MAX_SHIFT) return SUB + HALF * MAX_SHIFT - 1;
        return SUB + (shift - 1) * HALF + (int) ((micros >>> shift) - HALF);
    }

    /** The lowest value that lands in bucket {@code i}. */
    static long lowest(int i) {
        if (i < SUB) return i;
        int j = i - SUB;
        int shift = j / HALF + 1;
        return ((long) (j % HALF) + HALF) << shift;
    }

    public void record(long micros) {
        counts.incrementAndGet(index(micros));
        total.incrementAndGet();
        sum.addAndGet(micros);
        long m;
        while (micros > (m = max.get()) && !max.compareAndSet(m, micros)) { }
    }

    public long count() {
        return total.get();
    }

    public long maxMicros() {
        return max.get();
    }

    public double meanMicros() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /** The value at quantile {@code q} (0..1), in µs: the lower bound of its bucket. */
    public long percentileMicros(double q) {
        long n = total.get();
        if (n == 0) return 0;
        long rank = (long) Math.ceil(q * n);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) return Math.min(lowest(i), max.get());
        }
        return max.get();
    }

    public void reset() {
        for (int i = 0; i < counts.length(); i++) counts.set(i, 0);
        total.set(0);
        sum.set(0);
        max.set(0);
    }
}
