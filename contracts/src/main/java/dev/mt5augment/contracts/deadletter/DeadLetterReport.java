package dev.mt5augment.contracts.deadletter;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The header values of one dead letter, as a worker writes them and an operator's tool reads them
 * back. Kafka-free: {@link #headers()} gives name → bytes for the worker to add to its record.
 *
 * @param code              why the record was refused
 * @param message           what was wrong
 * @param field             the field at fault, or {@code null}
 * @param exceptionClass    the exception behind a runtime failure, or {@code null}
 * @param originalTopic     where the record was consumed from
 * @param originalPartition its partition
 * @param originalOffset    its offset
 * @param originalTimestamp its timestamp, epoch ms
 * @param consumerGroup     the worker's consumer group
 * @param workerId          the worker's id
 * @param requestId         the request id if readable, or {@code null}
 */
public record DeadLetterReport(
        ErrorCode code,
        String message,
        String field,
        String exceptionClass,
        String originalTopic,
        int originalPartition,
        long originalOffset,
        long originalTimestamp,
        String consumerGroup,
        String workerId,
        String requestId) {

    public DeadLetterReport {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(originalTopic, "originalTopic");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(workerId, "workerId");
    }

    /** The report for a record the decoder refused. */
    public static DeadLetterReport of(ContractError error, String requestIdOrNull, String originalTopic,
                                      int originalPartition, long originalOffset, long originalTimestamp,
                                      String consumerGroup, String workerId) {
        return new DeadLetterReport(error.code(), error.message(), error.field(), null, originalTopic,
                originalPartition, originalOffset, originalTimestamp, consumerGroup, workerId, requestIdOrNull);
    }

    /** Header name → UTF-8 value, in {@link DeadLetterHeaders#ALL} order; absent values left out. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        put(h, DeadLetterHeaders.ERROR_CODE, code.name());
        put(h, DeadLetterHeaders.ERROR_MESSAGE, message);
        put(h, DeadLetterHeaders.ERROR_FIELD, field);
        put(h, DeadLetterHeaders.EXCEPTION_CLASS, exceptionClass);
        put(h, DeadLetterHeaders.ORIGINAL_TOPIC, originalTopic);
        put(h, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(originalPartition));
        put(h, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(originalOffset));
        put(h, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(originalTimestamp));
        put(h, DeadLetterHeaders.CONSUMER_GROUP, consumerGroup);
        put(h, DeadLetterHeaders.WORKER_ID, workerId);
        put(h, DeadLetterHeaders.REQUEST_ID, requestId);
        return h;
    }

    /**
     * Reads a report back from a dead letter's headers.
     *
     * @param lastHeader the value of the last header with a name, or {@code null}
     * @throws IllegalArgumentException when a required header is missing or malformed
     */
    public static DeadLetterReport fromHeaders(Function<String, byte[]> lastHeader) {
        return new DeadLetterReport(
                ErrorCode.valueOf(required(lastHeader, DeadLetterHeaders.ERROR_CODE)),
                required(lastHeader, DeadLetterHeaders.ERROR_MESSAGE),
                optional(lastHeader, DeadLetterHeaders.ERROR_FIELD),
                optional(lastHeader, DeadLetterHeaders.EXCEPTION_CLASS),
                required(lastHeader, DeadLetterHeaders.ORIGINAL_TOPIC),
                Integer.parseInt(required(lastHeader, DeadLetterHeaders.ORIGINAL_PARTITION)),
                Long.parseLong(required(lastHeader, DeadLetterHeaders.ORIGINAL_OFFSET)),
                Long.parseLong(required(lastHeader, DeadLetterHeaders.ORIGINAL_TIMESTAMP)),
                required(lastHeader, DeadLetterHeaders.CONSUMER_GROUP),
                required(lastHeader, DeadLetterHeaders.WORKER_ID),
                optional(lastHeader, DeadLetterHeaders.REQUEST_ID));
    }

    private static void put(Map<String, byte[]> h, String name, String value) {
        if (value != null) h.put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Function<String, byte[]> lastHeader, String name) {
        String v = optional(lastHeader, name);
        if (v == null) throw new IllegalArgumentException("dead letter header " + name + " is missing");
        return v;
    }

    private static String optional(Function<String, byte[]> lastHeader, String name) {
        byte[] v = lastHeader.apply(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
}
