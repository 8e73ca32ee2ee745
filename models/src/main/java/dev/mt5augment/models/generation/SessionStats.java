package dev.mt5augment.models.generation;

/**
 * Counters of a {@link ContinuousBatcher} since it opened, for benchmarks and metrics.
 *
 * @param admissions     {@code admit} calls that admitted something
 * @param inputs         inputs admitted
 * @param steps          decoder steps run
 * @param rowSteps       rows fed summed over steps: the projections', feed-forward's and LM head's work
 * @param slotSteps      cache slots attended over, summed over steps: the attention's work, dead slots included
 * @param compactions    cohort compactions (each one copy of a cohort's cache and memories)
 * @param peakCohorts    most cohorts (decoder positions) live in one step
 * @param encoderNanos   encoding and cross-attention key/value projection
 * @param decoderNanos   steps: decoder, LM head, logits processing, token choice, upkeep
 */
public record SessionStats(long admissions, long inputs, long steps, long rowSteps, long slotSteps, long compactions,
                           int peakCohorts, long encoderNanos, long decoderNanos) {
}
