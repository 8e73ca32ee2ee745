package dev.mt5augment.models.vocab;

/**
 * How often a corpus uses each id of the original vocabulary, as the full tokenizer segments it.
 * The {@code </s>} appended to every segment is not counted.
 *
 * @param counts        uses per id, indexed by original id
 * @param segments      non-blank lines (or cut parts of over-long lines) tokenized
 * @param tokens        tokens counted, {@code </s>} excluded
 * @param unknownTokens of those, {@code <unk>}: characters the vocabulary lacks
 */
public record PieceUsage(long[] counts, long segments, long tokens, long unknownTokens) {

    public PieceUsage {
        counts = counts.clone();
    }

    public long count(int id) {
        return id >= 0 && id < counts.length ? counts[id] : 0;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Number of distinct ids used at least once. */
    public int distinctIds() {
        int n = 0;
        for (long c : counts) {
            if (c > 0) n++;
        }
        return n;
    }
}
