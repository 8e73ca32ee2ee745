package dev.mt5augment.contracts.messaging;

/**
 * Record headers on requests and results (values are UTF-8 strings).
 *
 * <p>A result's topic is, in order: the payload's {@code reply_to}, the request's
 * {@link #REPLY_TOPIC} header, the worker's results topic. A worker may refuse reply topics it is
 * not configured for ({@code REPLY_TOPIC_NOT_ALLOWED}).
 */
public final class MessageHeaders {

    /** Opaque producer value; the worker copies it unchanged onto the result and the dead letter. */
    public static final String CORRELATION_ID = "correlation-id";
    /** The topic to reply on when the payload has no {@code reply_to}. */
    public static final String REPLY_TOPIC = "reply-topic";

    private MessageHeaders() {
    }
}
