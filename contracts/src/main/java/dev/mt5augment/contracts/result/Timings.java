package dev.mt5augment.contracts.result;

/**
 * Where a request's time went, in milliseconds.
 *
 * @param queuedMs    from the request record's timestamp until its batch started
 * @param inferenceMs running the model for the batch that held the request
 * @param totalMs     from the request record's timestamp until the result was produced
 */
public record Timings(long queuedMs, long inferenceMs, long totalMs) {

    /** For error results produced before any work started. */
    public static final Timings NONE = new Timings(0, 0, 0);

    public Timings {
        if (queuedMs < 0 || inferenceMs < 0 || totalMs < 0) {
            throw new IllegalArgumentException("timings must not be negative: " + queuedMs + ", " + inferenceMs + ", " + totalMs);
        }
    }
}
