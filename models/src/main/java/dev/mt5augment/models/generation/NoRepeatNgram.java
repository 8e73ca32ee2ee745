package dev.mt5augment.models.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * transformers' {@code NoRepeatNGramLogitsProcessor}: a token is banned when it would complete an
 * n-gram that already occurs in the row's decoder sequence (start token included).
 */
final class NoRepeatNgram {

    private NoRepeatNgram() {
    }

    /** Tokens that would repeat an {@code n}-gram of {@code row}; empty when n is 0 or the row is short. */
    static List<Integer> bannedTokens(DecodingRow row, int n) {
        List<Integer> banned = new ArrayList<>();
        int len = row.length();
        if (n <= 0 || len + 1 < n) return banned;
        // The last n-1 tokens are the prefix a new token would extend.
        int prefixStart = len - (n - 1);
        for (int start = 0; start + n <= len; start++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) match = row.token(start + j) == row.token(prefixStart + j);
            if (match) banned.add(row.token(start + n - 1));
        }
        return banned;
    }
}
