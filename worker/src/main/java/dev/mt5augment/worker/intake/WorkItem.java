package dev.mt5augment.worker.intake;

import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.worker.commit.PartitionLease;
import java.util.List;

/**
 * A valid request taken from Kafka, ready for the model: one encoder row per text.
 *
 * @param source          the record it came from
 * @param lease           the partition lease it was consumed under
 * @param request         the decoded, normalised request
 * @param promptIds       token ids of each text's prompt, in text order
 * @param rowConfigs      generation settings of each text's row (the seed differs per text)
 * @param replyTopic      where the result goes (already checked against the allowed pattern)
 * @param deadlineEpochMs when the request expires (record timestamp + its budget)
 * @param acceptedAtNanos when the consumer thread accepted it ({@link System#nanoTime()})
 */
public record WorkItem(SourceRecord source, PartitionLease lease, AugmentRequest request,
                       List<int[]> promptIds, List<GenerationConfig> rowConfigs,
                       String replyTopic, long deadlineEpochMs, long acceptedAtNanos) {

    public WorkItem {
        promptIds = List.copyOf(promptIds);
        rowConfigs = List.copyOf(rowConfigs);
        if (promptIds.size() != request.texts().size() || rowConfigs.size() != promptIds.size()) {
            throw new IllegalArgumentException("one prompt and one config per text");
        }
    }

    public String id() {
        return request.id();
    }

    /** Decoder rows of the whole request: texts × (return sequences, or beams). */
    public int decoderRows() {
        int n = 0;
        for (GenerationConfig c : rowConfigs) n += decoderRows(c);
        return n;
    }

    public static int decoderRows(GenerationConfig c) {
        return c.strategy() == DecodingStrategy.BEAM ? c.numBeams() : c.numReturnSequences();
    }
}
