package dev.mt5augment.contracts.error;

/**
 * Why a request failed. The wire form is the constant's name ({@code "TEXT_TOO_LONG"}).
 *
 * <p>Contract codes say the request itself is wrong: sending it again unchanged fails again.
 * Runtime codes say the worker could not serve a valid request: it may succeed when sent again
 * ({@link #retryable()}).
 */
public enum ErrorCode {
    /** The value is not one well-formed JSON document (empty, truncated, NaN/Infinity, trailing data). */
    MALFORMED_JSON(false),
    /**
     * The bytes are not UTF-8 (overlong forms, encoded surrogates, stray continuation bytes), or a
     * string escapes an unpaired surrogate ({@code "\ud800"}), which no UTF-8 text can hold.
     */
    NOT_UTF8(false),
    /** The record value is larger than the decoder's byte limit (1 MiB by default). */
    RECORD_TOO_LARGE(false),
    /**
     * The JSON does not have the request's shape: not an object, an unknown or duplicated field, a
     * value of the wrong JSON type (numbers as strings included), a malformed {@code id} or
     * {@code reply_to}, both or neither of {@code text}/{@code texts}, or a reader limit exceeded
     * (nesting depth, tokens, digits, name length).
     */
    SCHEMA_VIOLATION(false),
    /** No {@code id} in the payload and no valid record key to use instead. */
    MISSING_ID(false),
    /** A text is empty after trimming whitespace, or {@code texts} is an empty array. */
    EMPTY_TEXT(false),
    /** A text is longer than 512 Unicode code points after trimming. */
    TEXT_TOO_LONG(false),
    /** More than 256 texts in one request. */
    TOO_MANY_TEXTS(false),
    /** A generation parameter or label list is outside its documented range or set of values. */
    PARAM_OUT_OF_RANGE(false),
    /** {@code task} names no known task. */
    UNSUPPORTED_TASK(false),
    /** {@code task} is {@code classify} but {@code labels} is absent or empty. */
    MISSING_LABELS(false),
    /** {@code schema_version} is not 1. */
    UNSUPPORTED_VERSION(false),
    /** {@code reply_to} names a topic the worker is configured not to answer on. */
    REPLY_TOPIC_NOT_ALLOWED(false),
    /** The model failed on a valid request (out of memory, engine error). */
    INFERENCE_FAILED(true),
    /** The request's {@code deadline_ms} passed before its result was ready. */
    DEADLINE_EXCEEDED(true),
    /** The worker stopped before finishing the request. */
    SHUTTING_DOWN(true);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** True for runtime failures, where the same request sent again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** True when the request itself breaks the contract; the decoder only ever returns these. */
    public boolean contractViolation() {
        return !retryable;
    }
}
