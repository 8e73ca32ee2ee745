package dev.mt5augment.client;

import dev.mt5augment.contracts.error.ContractError;

/** A reply carrying the request's id arrived, but it is not a valid v1 result. */
public final class UnreadableReplyException extends AugmentClientException {

    private final ContractError error;

    public UnreadableReplyException(String requestId, ContractError error) {
        super(requestId, "the reply to request " + requestId + " cannot be read: " + error.code() + ": " + error.message(), null);
        this.error = error;
    }

    public ContractError error() {
        return error;
    }
}
