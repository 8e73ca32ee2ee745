package dev.mt5augment.worker.batch;

import java.time.Duration;

/**
 * Bounds of one batch.
 *
 * @param maxRows   most decoder rows (sum of {@link BatchableRow#decoderRows()})
 * @param maxTokens most padded encoder tokens: encoder rows × the longest input of the batch
 * @param linger    how long the oldest waiting row waits for batch mates before a partial batch runs
 */
public record BatchLimits(int maxRows, int maxTokens, Duration linger) {
    public BatchLimits {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        if (linger == null || linger.isNegative()) throw new IllegalArgumentException("linger must be >= 0");
    }
}
