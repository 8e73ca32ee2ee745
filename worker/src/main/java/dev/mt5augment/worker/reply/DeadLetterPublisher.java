package dev.mt5augment.worker.reply;

import dev.mt5augment.contracts.deadletter.DeadLetterReport;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.worker.intake.SourceRecord;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: the original record's key and value bytes untouched, its headers kept, and the
 * contract's {@code mt5.dlt.*} headers saying why and where it came from. The record is published
 * with the loop's next commit, in the same transaction as the offset that consumed the original.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeadLetterPublisher {
    private final String topic;
    private final String consumerGroup;
    private final String workerId;

    public DeadLetterPublisher(String topic, String consumerGroup, String workerId) {
        this.topic = topic;
        this.consumerGroup = consumerGroup;
        this.workerId = workerId;
    }

    /**
     * @param requestIdOrNull the request id when one could be read
     * @param causeOrNull     the exception behind a runtime failure (its class goes in a header)
     */
    public ProducerRecord<byte[], byte[]> deadLetter(SourceRecord source, ContractError error, String requestIdOrNull,
                                                     Throwable causeOrNull) {
        DeadLetterReport report = DeadLetterReport.of(error, requestIdOrNull, source.topic(), source.partition(),
                source.offset(), source.timestamp(), consumerGroup, workerId);
        if (causeOrNull != null) {
            report = new DeadLetterReport(report.code(), report.message(), report.field(), causeOrNull.getClass().getName(),
                    report.originalTopic(), report.originalPartition(), report.originalOffset(),
                    report.originalTimestamp(), report.consumerGroup(), report.workerId(), report.requestId());
        }
        RecordHeaders headers = new RecordHeaders();
        if (source.headers() != null) {
            for (Header h : source.headers()) headers.add(h.key(), h.value());
        }
        for (Map.Entry<String, byte[]> e : report.headers().entrySet()) headers.add(e.getKey(), e.getValue());
        return new ProducerRecord<>(topic, null, source.key(), source.value(), headers);
    }

    public String topic() {
        return topic;
    }
}
