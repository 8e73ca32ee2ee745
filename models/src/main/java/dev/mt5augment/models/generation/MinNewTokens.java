package dev.mt5augment.models.generation;

/**
 * transformers' {@code MinNewTokensLengthLogitsProcessor}: {@code </s>} is banned while fewer than
 * {@code minNewTokens} tokens were generated (the decoder start token does not count).
 */
final class MinNewTokens {

    private MinNewTokens() {
    }

    static boolean bansEos(DecodingRow row) {
        return row.generated() < row.config.minNewTokens();
    }
}
