package dev.mt5augment.client;

/**
 * Why {@link AugmentClient} could not bring back a result. A result the worker answered with
 * {@code status: error} is not one of these: it completes the future normally, and
 * {@link dev.mt5augment.contracts.result.AugmentResult#error()} says why.
 *
 * <p>Every subclass names the request id it concerns, so a failure in a log can be traced.
 */
public abstract sealed class AugmentClientException extends RuntimeException
        permits AugmentTimeoutException, InFlightLimitException, ClientClosedException, RequestSendException,
        UnreadableReplyException, DuplicateRequestIdException {

    private final String requestId;

    AugmentClientException(String requestId, String message, Throwable cause) {
        super(message, cause);
        this.requestId = requestId;
    }

    /** The request this failure concerns. */
    public String requestId() {
        return requestId;
    }
}
