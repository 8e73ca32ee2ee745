package dev.mt5augment.client;

/**
 * A request with the same id is still awaiting its reply on this client. Replies are matched by
 * id, so two requests in flight with one id could not be told apart.
 */
public final class DuplicateRequestIdException extends AugmentClientException {

    public DuplicateRequestIdException(String requestId) {
        super(requestId, "a request with id " + requestId + " is already awaiting its reply on this client; "
                + "request ids must be unique among requests in flight", null);
    }
}
