package dev.mt5augment.gateway;

/**
 * Error codes the gateway adds to the contract's ({@link dev.mt5augment.contracts.error.ErrorCode}),
 * for what only HTTP can go wrong with, each with its status. They travel in the same
 * {@code {"error":{"code","message","field"}}} body.
 */
enum GatewayError {
    /** No such path. */
    NOT_FOUND(404),
    /** The path exists, the method does not (an {@code Allow} header says which do). */
    METHOD_NOT_ALLOWED(405),
    /** The body is not declared as JSON ({@code Content-Type: application/json}, UTF-8). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** A request with this id is already waiting for its answer. */
    DUPLICATE_ID(409),
    /** Too many requests are waiting for answers; retry after the {@code Retry-After} seconds. */
    OVERLOADED(503),
    /** Kafka cannot take the request (broker down, topic missing). */
    UNAVAILABLE(503),
    /** A worker answered with something that is not a v1 result. */
    REPLY_UNREADABLE(502),
    /** A bug in the gateway; the message says what. */
    INTERNAL(500);

    private final int status;

    GatewayError(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }
}
