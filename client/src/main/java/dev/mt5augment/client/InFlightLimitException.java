package dev.mt5augment.client;

import java.time.Duration;

/**
 * Too many requests were awaiting replies: with {@link InFlightPolicy#FAIL_FAST} at once, with
 * {@link InFlightPolicy#BLOCK} after waiting {@code maxBlock} for a slot. The request was not sent.
 */
public final class InFlightLimitException extends AugmentClientException {

    public InFlightLimitException(String requestId, int maxInFlight, Duration waited) {
        super(requestId, "request " + requestId + " not sent: " + maxInFlight + " requests are already awaiting replies"
                + (waited.isZero() ? "" : " after waiting " + waited.toMillis() + " ms for a free slot"), null);
    }
}
