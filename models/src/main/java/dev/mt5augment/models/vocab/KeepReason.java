package dev.mt5augment.models.vocab;

/** Why an id survives trimming; an id kept for several reasons is reported under the first. */
public enum KeepReason {
    /** {@code <pad>}, {@code </s>}, {@code <unk>}, other special added tokens and the config's special ids. */
    SPECIAL,
    /** Listed in {@code --keep-ids}. */
    REQUESTED,
    /** Used at least {@code --min-count} times by the corpus. */
    CORPUS,
    /** Made only of ASCII and {@code ▁}, with {@code --keep-ascii}. */
    ASCII,
    /** A non-special added token: matched before the model, so it cannot be dropped from the vocabulary alone. */
    ADDED_TOKEN,
    /** A {@code <0xXX>} piece of a byte-fallback tokenizer: the fallback for every unknown character. */
    BYTE_FALLBACK,
    /**
     * The piece with the lowest score. Rust tokenizers scores an unknown character {@code min_score - 10};
     * keeping the minimum keeps that penalty, which the tokenization guarantee needs (see {@link VocabularyTrimmer}).
     */
    LOWEST_SCORE;

    /** The name in reports: lower case. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
