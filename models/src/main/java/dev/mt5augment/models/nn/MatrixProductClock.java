package dev.mt5augment.models.nn;

/**
 * Optional wall-clock accounting of the matrix products ({@link Linear} and the attention products),
 * so a benchmark can tell time inside products from everything else. Off by default: then it costs one
 * branch per product. CPU only (GPU products are asynchronous and would be timed wrong).
 *
 * <p>Threading: the counters are plain fields; enable it around single-threaded generation only.
 */
public final class MatrixProductClock {

    private static boolean enabled;
    private static long nanos;
    private static long products;

    private MatrixProductClock() {
    }

    /** Starts counting from zero. */
    public static void start() {
        nanos = 0;
        products = 0;
        enabled = true;
    }

    public static void stop() {
        enabled = false;
    }

    /** Time inside matrix products since {@link #start()}. */
    public static long nanos() {
        return nanos;
    }

    /** Matrix products since {@link #start()}. */
    public static long products() {
        return products;
    }

    static boolean enabled() {
        return enabled;
    }

    static void add(long startNanos) {
        nanos += System.nanoTime() - startNanos;
        products++;
    }
}
