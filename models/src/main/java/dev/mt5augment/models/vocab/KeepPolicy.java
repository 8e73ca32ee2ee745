package dev.mt5augment.models.vocab;

import java.util.Arrays;

/**
 * Which pieces a trim keeps besides the special tokens.
 *
 * @param minCount  keep a piece the corpus uses at least this often (&gt;= 1)
 * @param keepAscii also keep every piece made only of ASCII and {@code ▁}, used or not, so English
 *                  words, digits and URLs still segment as before
 * @param extraIds  original ids kept whatever the corpus says (sorted, distinct, &gt;= 0)
 */
public record KeepPolicy(int minCount, boolean keepAscii, int[] extraIds) {

    public KeepPolicy {
        if (minCount < 1) {
            throw new IllegalArgumentException("min-count must be at least 1, got " + minCount
                    + " (a piece used 0 times is unused; every piece would be kept)");
        }
        extraIds = Arrays.stream(extraIds).sorted().distinct().toArray();
        if (extraIds.length > 0 && extraIds[0] < 0) throw new IllegalArgumentException("kept id " + extraIds[0] + " is negative");
    }

    @Override
    public int[] extraIds() {
        return extraIds.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: min count 1, no ASCII rule, no extra ids. */
    public static final class Builder {
        private int minCount = 1;
        private boolean keepAscii;
        private int[] extraIds = new int[0];

        public Builder minCount(int v) {
            minCount = v;
            return this;
        }

        public Builder keepAscii(boolean v) {
            keepAscii = v;
            return this;
        }

        public Builder extraIds(int[] v) {
            extraIds = v.clone();
            return this;
        }

        public KeepPolicy build() {
            return new KeepPolicy(minCount, keepAscii, extraIds);
        }
    }
}
