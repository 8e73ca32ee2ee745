package dev.mt5augment.models.generation;

/**
 * Counters of a {@link ContinuousBatcher} since it opened, for benchmarks and metrics.
 *
 * @param admissions     {@code admit} calls that admitted something
 * @param inputs         inputs admitted
 * @param steps          decoder steps run
 * @param rowSteps       rows fed summed over steps: the projections', feed-forward's and LM head's work
 * @param memorySlotSteps cross-attention query slots summed over steps: that product's work, the dead
 *                        slots of finished rows of live inputs included
 * @param compactions    memory pool compactions (each one copy of a pool's keys and values)
 * @param slotMoves      KV cache rows moved into freed slots (each one copy of one row's history)
 * @param peakPositions  most distinct decoder positions fed in one step
 * @param encoderNanos   encoding and cross-attention key/value projection
 * @param decoderNanos   steps: decoder, LM head, logits processing, token choice, upkeep
 */
public record SessionStats(long admissions, long inputs, long steps, long rowSteps, long memorySlotSteps, long compactions,
                           long slotMoves, int peakPositions, long encoderNanos, long decoderNanos) {
}
