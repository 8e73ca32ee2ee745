package dev.mt5augment.models.generation;

/**
 * Generation parameters of one input row. Rows of one batch may differ in every field; a row's
 * output depends only on its input ids, this config and {@link #seed()}, never on its batch mates.
 *
 * <p>Defaults (see {@link #builder()}) follow transformers' {@code generate}: greedy, 20 new tokens,
 * no penalties.
 *
 * @param strategy           greedy, beam or sample
 * @param maxNewTokens       hard limit on generated tokens, the start token not counted (&gt;= 1)
 * @param minNewTokens       {@code </s>} is forbidden while fewer tokens were generated (&gt;= 0)
 * @param numBeams           beam width, only for {@link DecodingStrategy#BEAM} (&gt;= 1)
 * @param lengthPenalty      beam hypotheses score {@code sum_logprobs / len^lengthPenalty}
 * @param earlyStopping      beam search stops an input once it has {@code numBeams} finished hypotheses
 * @param numReturnSequences sequences returned per input; for beam search at most {@code numBeams}
 * @param temperature        sampling temperature (&gt; 0); 1 leaves the logits as they are
 * @param topK               sampling keeps the k best tokens; 0 turns it off
 * @param topP               sampling keeps the smallest set whose probability reaches p; 1 turns it off
 * @param repetitionPenalty  CTRL penalty on tokens already in the decoder sequence; 1 turns it off
 * @param noRepeatNgramSize  forbids repeating any n-gram of this size; 0 turns it off
 * @param seed               seeds the RNG of each return sequence r from (seed, r)
 */
public record GenerationConfig(
        DecodingStrategy strategy,
        int maxNewTokens,
        int minNewTokens,
        int numBeams,
        float lengthPenalty,
        boolean earlyStopping,
        int numReturnSequences,
        float temperature,
        int topK,
        float topP,
        float repetitionPenalty,
        int noRepeatNgramSize,
        long seed) {

    public GenerationConfig {
        if (strategy == null) throw new IllegalArgumentException("strategy is required");
        if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        if (minNewTokens < 0 || minNewTokens > maxNewTokens)
            throw new IllegalArgumentException("minNewTokens must be in [0, maxNewTokens], got " + minNewTokens);
        if (numBeams < 1) throw new IllegalArgumentException("numBeams must be >= 1, got " + numBeams);
        if (numReturnSequences < 1) throw new IllegalArgumentException("numReturnSequences must be >= 1, got " + numReturnSequences);
        if (strategy == DecodingStrategy.BEAM && numReturnSequences > numBeams)
            throw new IllegalArgumentException("numReturnSequences (" + numReturnSequences + ") must be <= numBeams (" + numBeams + ")");
        if (strategy == DecodingStrategy.GREEDY && numReturnSequences != 1)
            throw new IllegalArgumentException("greedy search returns exactly one sequence");
        if (!(temperature > 0f) || Float.isInfinite(temperature))
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        if (!(topP > 0f && topP <= 1f)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (!(repetitionPenalty > 0f) || Float.isInfinite(repetitionPenalty))
            throw new IllegalArgumentException("repetitionPenalty must be > 0, got " + repetitionPenalty);
        if (noRepeatNgramSize < 0) throw new IllegalArgumentException("noRepeatNgramSize must be >= 0, got " + noRepeatNgramSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .strategy(strategy).maxNewTokens(maxNewTokens).minNewTokens(minNewTokens)
                .numBeams(numBeams).lengthPenalty(lengthPenalty).earlyStopping(earlyStopping)
                .numReturnSequences(numReturnSequences).temperature(temperature).topK(topK).topP(topP)
                .repetitionPenalty(repetitionPenalty).noRepeatNgramSize(noRepeatNgramSize).seed(seed);
    }

    /** Builder with transformers' defaults: greedy, 20 new tokens, 1 beam, no penalties, seed 0. */
    public static final class Builder {
        private DecodingStrategy strategy = DecodingStrategy.GREEDY;
        private int maxNewTokens = 20;
        private int minNewTokens = 0;
        private int numBeams = 1;
        private float lengthPenalty = 1.0f;
        private boolean earlyStopping = false;
        private int numReturnSequences = 1;
        private float temperature = 1.0f;
        private int topK = 50;
        private float topP = 1.0f;
        private float repetitionPenalty = 1.0f;
        private int noRepeatNgramSize = 0;
        private long seed = 0L;

        public Builder strategy(DecodingStrategy v) { strategy = v; return this; }
        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder minNewTokens(int v) { minNewTokens = v; return this; }
        public Builder numBeams(int v) { numBeams = v; return this; }
        public Builder lengthPenalty(float v) { lengthPenalty = v; return this; }
        public Builder earlyStopping(boolean v) { earlyStopping = v; return this; }
        public Builder numReturnSequences(int v) { numReturnSequences = v; return this; }
        public Builder temperature(float v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(float v) { topP = v; return this; }
        public Builder repetitionPenalty(float v) { repetitionPenalty = v; return this; }
        public Builder noRepeatNgramSize(int v) { noRepeatNgramSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public GenerationConfig build() {
            return new GenerationConfig(strategy, maxNewTokens, minNewTokens, numBeams, lengthPenalty,
                    earlyStopping, numReturnSequences, temperature, topK, topP, repetitionPenalty,
                    noRepeatNgramSize, seed);
        }
    }
}
