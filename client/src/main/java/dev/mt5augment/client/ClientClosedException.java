package dev.mt5augment.client;

/** The client was closed (or its reply listener failed) before the request's reply arrived. */
public final class ClientClosedException extends AugmentClientException {

    public ClientClosedException(String requestId, String why, Throwable cause) {
        super(requestId, "request " + requestId + " abandoned: " + why, cause);
    }
}
