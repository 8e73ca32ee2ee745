package dev.mt5augment.models.generation;

/**
 * One generated sequence.
 *
 * @param tokenIds the decoder sequence as transformers returns it: the decoder start id first, then
 *                 the generated ids up to and including {@code </s>} when one was produced; no padding
 * @param score    beam search: the hypothesis score ({@code sum_logprobs / len^lengthPenalty});
 *                 greedy: the sum of the chosen tokens' log-probabilities after the logits
 *                 processors; sampling: the sum of their log-probabilities under the distribution
 *                 each was drawn from (after the processors, temperature, top-k and top-p)
 */
public record GeneratedSequence(int[] tokenIds, float score) {
    /** Generated ids only: without the start token and without a trailing {@code </s>}. */
    public int[] newTokens(int eosId) {
        int end = tokenIds.length;
        if (end > 1 && tokenIds[end - 1] == eosId) end--;
        return java.util.Arrays.copyOfRange(tokenIds, Math.min(1, end), end);
    }
}
