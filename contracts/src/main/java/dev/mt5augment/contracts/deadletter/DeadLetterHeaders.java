package dev.mt5augment.contracts.deadletter;

import java.util.List;

/**
 * Header names on a dead letter, in the style of Kafka Connect's {@code __connect.errors.*} and
 * Spring's {@code kafka_dlt-*}. A dead letter keeps the original key and value bytes untouched
 * (and the original headers); these headers say why and where it came from. Every value is a UTF-8
 * string; numbers are written in decimal.
 */
public final class DeadLetterHeaders {

    private static final String PREFIX = "mt5.dlt.";

    /** The {@code ErrorCode} name, e.g. {@code SCHEMA_VIOLATION}. Always present. */
    public static final String ERROR_CODE = PREFIX + "error.code";
    /** What was wrong, for a human (at most 500 characters). Always present. */
    public static final String ERROR_MESSAGE = PREFIX + "error.message";
    /** The request field at fault ({@code texts[3]}); absent when the whole record is at fault. */
    public static final String ERROR_FIELD = PREFIX + "error.field";
    /** The Java class of the exception behind a runtime failure; absent for contract violations. */
    public static final String EXCEPTION_CLASS = PREFIX + "exception.class";
    /** The topic the record was consumed from. */
    public static final String ORIGINAL_TOPIC = PREFIX + "original.topic";
    /** Its partition. */
    public static final String ORIGINAL_PARTITION = PREFIX + "original.partition";
    /** Its offset. */
    public static final String ORIGINAL_OFFSET = PREFIX + "original.offset";
    /** Its timestamp, epoch milliseconds. */
    public static final String ORIGINAL_TIMESTAMP = PREFIX + "original.timestamp";
    /** The consumer group of the worker that refused it. */
    public static final String CONSUMER_GROUP = PREFIX + "consumer.group";
    /** The id of the worker that refused it. */
    public static final String WORKER_ID = PREFIX + "worker.id";
    /** The request id when one could be read (payload {@code id} or record key); absent otherwise. */
    public static final String REQUEST_ID = PREFIX + "request.id";

    /** Every name above, in the order a worker writes them. */
    public static final List<String> ALL = List.of(ERROR_CODE, ERROR_MESSAGE, ERROR_FIELD, EXCEPTION_CLASS,
            ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, ORIGINAL_TIMESTAMP, CONSUMER_GROUP, WORKER_ID,
            REQUEST_ID);

    private DeadLetterHeaders() {
    }
}
