package dev.mt5augment.client;

/** What {@link AugmentClient#submit} does when {@code maxInFlight} requests already await replies. */
public enum InFlightPolicy {
    /** Wait for a free slot, at most {@code maxBlock}, then fail with {@link InFlightLimitException}. */
    BLOCK,
    /** Fail at once with {@link InFlightLimitException} (the returned future is already failed). */
    FAIL_FAST
}
