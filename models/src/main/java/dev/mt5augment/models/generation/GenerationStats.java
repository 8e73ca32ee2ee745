package dev.mt5augment.models.generation;

/**
 * What the last {@link Mt5Generator#generate} call did, for benchmarks and metrics.
 *
 * @param inputs          encoder rows
 * @param decoderRows     decoder rows at the start (inputs × return sequences or beams)
 * @param decoderSteps    decoder steps run, summed over strategy groups
 * @param decoderRowSteps rows fed summed over steps: the decoder's work, finished rows still in the batch included
 * @param generatedTokens new tokens in the returned sequences ({@code </s>} included, start token not)
 * @param encoderNanos    encoding and cross-attention key/value projection
 * @param decoderNanos    decoder steps, LM head, logits processing and token choice, cache upkeep
 * @param totalNanos      the whole call
 */
public record GenerationStats(int inputs, int decoderRows, int decoderSteps, long decoderRowSteps, long generatedTokens,
                              long encoderNanos, long decoderNanos, long totalNanos) {

    static final GenerationStats NONE = new GenerationStats(0, 0, 0, 0, 0, 0, 0, 0);

    GenerationStats plus(GenerationStats o) {
        return new GenerationStats(inputs + o.inputs, decoderRows + o.decoderRows, decoderSteps + o.decoderSteps,
                decoderRowSteps + o.decoderRowSteps, generatedTokens + o.generatedTokens, encoderNanos + o.encoderNanos, decoderNanos + o.decoderNanos,
                totalNanos + o.totalNanos);
    }
}
