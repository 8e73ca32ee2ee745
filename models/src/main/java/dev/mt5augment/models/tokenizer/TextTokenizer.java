package dev.mt5augment.models.tokenizer;

/**
 * Text to ids and back, as mT5 sees them.
 *
 * <p>Threading: implementations are thread-safe.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Ids as SentencePiece gives them, followed by {@code </s>}; no truncation, no padding. */
    int[] encode(String text);

    /**
     * Text of generated ids: special tokens and ids without a piece are skipped, and the spaces
     * between Chinese characters are removed, as ModelScope's T5 pipeline does.
     */
    String decode(int[] ids);

    @Override
    void close();
}
