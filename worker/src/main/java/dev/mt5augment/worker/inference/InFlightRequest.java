package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.worker.intake.WorkItem;

/**
 * A request between intake and result: collects the outputs of its rows, which may run in
 * different batches, and the time they spent in the model.
 *
 * <p>Threading: inference thread only.
 */
final class InFlightRequest {
    private final WorkItem item;
    private final GenerationOutput[] outputs;
    private int remaining;
    private boolean finished;
    private long firstBatchStartEpochMs = -1;
    private long modelNanos;

    InFlightRequest(WorkItem item) {
        this.item = item;
        this.outputs = new GenerationOutput[item.promptIds().size()];
        this.remaining = outputs.length;
    }

    WorkItem item() {
        return item;
    }

    /** True once the request was answered or failed; later row results are ignored. */
    boolean finished() {
        return finished;
    }

    void markFinished() {
        finished = true;
    }

    void batchStarted(long epochMs, long batchModelNanos) {
        if (firstBatchStartEpochMs < 0) firstBatchStartEpochMs = epochMs;
        modelNanos += batchModelNanos;
    }

    /** @return true when this was the last missing row */
    boolean accept(int textIndex, GenerationOutput output) {
        if (outputs[textIndex] == null) {
            outputs[textIndex] = output;
            remaining--;
        }
        return remaining == 0;
    }

    GenerationOutput output(int textIndex) {
        return outputs[textIndex];
    }

    /** Wall-clock start of the first batch that held one of its rows, or -1. */
    long firstBatchStartEpochMs() {
        return firstBatchStartEpochMs;
    }

    long modelNanos() {
        return modelNanos;
    }
}
