package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.worker.batch.BatchableRow;
import dev.mt5augment.worker.intake.WorkItem;

/**
 * One text of an in-flight request: one encoder row.
 *
 * <p>Threading: inference thread only.
 */
final class InferenceRow implements BatchableRow {
    final InFlightRequest request;
    final int textIndex;
    final GenerationInput input;
    private final int decoderRows;
    private long readyAtNanos;
    private int attempts;

    InferenceRow(InFlightRequest request, int textIndex, long readyAtNanos) {
        this.request = request;
        this.textIndex = textIndex;
        WorkItem item = request.item();
        this.input = new GenerationInput(item.promptIds().get(textIndex), item.rowConfigs().get(textIndex));
        this.decoderRows = WorkItem.decoderRows(input.config());
        this.readyAtNanos = readyAtNanos;
    }

    @Override
    public int inputTokens() {
        return input.inputIds().length;
    }

    @Override
    public int decoderRows() {
        return decoderRows;
    }

    @Override
    public long readyAtNanos() {
        return readyAtNanos;
    }

    int attempts() {
        return attempts;
    }

    /** The row's whole batch failed; it waits for another try. */
    void retryLater(long nowNanos) {
        attempts++;
        readyAtNanos = nowNanos;
    }
}
