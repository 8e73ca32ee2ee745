package dev.mt5augment.models.generation;

/**
 * When waiting inputs join a continuous batch. Every admission starts a new decoder position, and
 * each position costs a step its own self-attention product (plus a cross-attention product per
 * encoded group), so joining one input at a time as soon as one row frees would fill the step with
 * small products. Inputs therefore join once {@code minFreeRows} rows are free, or once a row has
 * been free for {@code maxDeferredSteps} steps with inputs waiting (so that none waits long), or at
 * once when the batch is empty.
 *
 * <p>Threading: not thread-safe; one per session, on its thread.
 *
 * @see GenerationSession
 */
public final class AdmissionPolicy {

    private final int maxRows;
    private final int minFreeRows;
    private final int maxDeferredSteps;
    private int deferred;

    /**
     * @param maxRows          most live decoder rows
     * @param minFreeRows      free rows worth an admission (1 admits at every step)
     * @param maxDeferredSteps steps an admission may wait with a row free and inputs waiting
     */
    public AdmissionPolicy(int maxRows, int minFreeRows, int maxDeferredSteps) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (minFreeRows < 1 || minFreeRows > maxRows) {
            throw new IllegalArgumentException("minFreeRows must be in [1, maxRows], got " + minFreeRows);
        }
        if (maxDeferredSteps < 0) throw new IllegalArgumentException("maxDeferredSteps must be >= 0, got " + maxDeferredSteps);
        this.maxRows = maxRows;
        this.minFreeRows = minFreeRows;
        this.maxDeferredSteps = maxDeferredSteps;
    }

    /** Defaults: admit once a quarter of the rows is free, or after 8 steps of waiting. */
    public static AdmissionPolicy forRows(int maxRows) {
        return new AdmissionPolicy(maxRows, Math.max(1, maxRows / 4), 8);
    }

    public int maxRows() {
        return maxRows;
    }

    /**
     * Called once before each step.
     *
     * @param liveRows      rows the session holds
     * @param inputsWaiting whether any input waits to join
     * @return decoder rows that may join now; 0 to wait. When the session is empty, at least one input
     *         should join even if it alone exceeds this.
     */
    public int admissibleRows(int liveRows, boolean inputsWaiting) {
        int free = Math.max(0, maxRows - liveRows);
        if (!inputsWaiting || free == 0) {
            deferred = 0;
            return 0;
        }
        if (liveRows == 0 || free >= minFreeRows || ++deferred > maxDeferredSteps) {
            deferred = 0;
            return free;
        }
        return 0;
    }
}
