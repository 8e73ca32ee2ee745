package dev.mt5augment.client;

import java.time.Duration;

/**
 * No reply arrived within the request's timeout. The request may still be served later; its reply
 * is then ignored. Sending it again is safe: results are keyed by id, and a late reply to the
 * first attempt is told apart by its {@code correlation-id} header.
 */
public final class AugmentTimeoutException extends AugmentClientException {

    private final Duration timeout;

    public AugmentTimeoutException(String requestId, Duration timeout, String replyTopic) {
        super(requestId, "no reply to request " + requestId + " within " + timeout.toMillis() + " ms on topic "
                + replyTopic + " (is a worker consuming the request topic, and does it reply on this topic?)", null);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
