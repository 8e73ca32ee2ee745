package dev.mt5augment.models.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Text to ids and back, as mT5 sees them.
 *
 * <p>Threading: implementations are thread-safe.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Ids as SentencePiece gives them, followed by {@code </s>}; no truncation, no padding. */
    int[] encode(String text);

    /** {@link #encode(String)} of each text, in order; implementations may batch or parallelize. */
    default List<int[]> encode(List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        for (String text : texts) out.add(encode(text));
        return out;
    }

    /**
     * Text of generated ids: special tokens and ids without a piece are skipped, and the spaces
     * between Chinese characters are removed, as ModelScope's T5 pipeline does.
     */
    String decode(int[] ids);

    /** {@link #decode(int[])} of each sequence, in order. */
    default List<String> decode(List<int[]> sequences) {
        List<String> out = new ArrayList<>(sequences.size());
        for (int[] ids : sequences) out.add(decode(ids));
        return out;
    }

    @Override
    void close();
}
