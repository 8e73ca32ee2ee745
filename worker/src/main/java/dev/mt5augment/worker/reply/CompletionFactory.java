package dev.mt5augment.worker.reply;

import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.messaging.MessageHeaders;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultError;
import dev.mt5augment.contracts.result.TextResult;
import dev.mt5augment.contracts.result.Timings;
import dev.mt5augment.worker.commit.Completion;
import dev.mt5augment.worker.commit.PartitionLease;
import dev.mt5augment.worker.intake.SourceRecord;
import dev.mt5augment.worker.intake.WorkItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds what a finished record publishes: the {@code AugmentResult} reply (key = request id,
 * value = result JSON, the request's {@code correlation-id} header copied) and, for records that
 * cannot be served, the dead letter. With {@code RecordIntake}, the worker's only seam to the wire
 * format.
 *
 * <p>Immutable and thread-safe: the consumer thread uses it for refusals, the inference thread for
 * results.
 */
public final class CompletionFactory {
    private final ResultCodec codec = ResultCodec.withDefaults();
    private final DeadLetterPublisher deadLetters;
    private final String modelName;
    private final String workerId;
    private final int maxResultBytes;

    /**
     * @param maxResultBytes a result bigger than this is not sent (Kafka would refuse it, and the
     *                       transaction holding it would fail again on every retry)
     */
    public CompletionFactory(DeadLetterPublisher deadLetters, String modelName, String workerId, int maxResultBytes) {
        this.deadLetters = deadLetters;
        this.modelName = modelName;
        this.workerId = workerId;
        this.maxResultBytes = maxResultBytes;
    }

    /** A served request: one reply with every text's variants (or an error when that reply is too big). */
    public Completion served(WorkItem item, List<List<String>> variants, Timings timings) {
        List<TextResult> results = new ArrayList<>(variants.size());
        for (int i = 0; i < variants.size(); i++) results.add(new TextResult(item.request().texts().get(i), variants.get(i)));
        AugmentResult result = AugmentResult.ok(item.id(), item.request().task(), results, modelName, workerId, timings);
        ProducerRecord<byte[], byte[]> reply = reply(item.source(), item.replyTopic(), result);
        if (reply.value().length > maxResultBytes) {
            return failed(item, ContractError.of(ErrorCode.INFERENCE_FAILED, "the result is " + reply.value().length
                    + " bytes, more than this worker sends (max_result_bytes " + maxResultBytes
                    + "); ask for fewer texts, variants or tokens per request"), null, true, timings);
        }
        return new Completion(item.lease(), item.source().offset(), List.of(reply), null, false);
    }

    /**
     * A valid request that could not be served: an error reply, and a dead letter when the record
     * should be kept for a later look (inference failures; not expired deadlines).
     */
    public Completion failed(WorkItem item, ContractError error, Throwable causeOrNull, boolean deadLetter, Timings timings) {
        AugmentResult result = AugmentResult.error(item.id(), item.request().task(), ResultError.of(error), modelName, workerId, timings);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
        if (deadLetter) out.add(deadLetters.deadLetter(item.source(), error, item.id(), causeOrNull));
        out.add(reply(item.source(), item.replyTopic(), result));
        return new Completion(item.lease(), item.source().offset(), out, error.code().name(), deadLetter);
    }

    /** A refused record: its dead letter, and an error reply when a request id could be read. */
    public Completion refused(SourceRecord source, PartitionLease lease, ContractError error, String idOrNull, String replyTopic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
        out.add(deadLetters.deadLetter(source, error, idOrNull, null));
        if (idOrNull != null) {
            AugmentResult result = AugmentResult.error(idOrNull, null, ResultError.of(error), modelName, workerId, Timings.NONE);
            out.add(reply(source, replyTopic, result));
        }
        return new Completion(lease, source.offset(), out, error.code().name(), true);
    }

    private ProducerRecord<byte[], byte[]> reply(SourceRecord source, String topic, AugmentResult result) {
        RecordHeaders headers = new RecordHeaders();
        byte[] correlation = source.headerBytes(MessageHeaders.CORRELATION_ID);
        if (correlation != null) headers.add(MessageHeaders.CORRELATION_ID, correlation);
        return new ProducerRecord<>(topic, null, result.id().getBytes(StandardCharsets.UTF_8), codec.encode(result), headers);
    }
}
