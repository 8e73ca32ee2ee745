package dev.mt5augment.models.vocab;

import dev.mt5augment.models.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * Counts the pieces a corpus uses: streams the file ({@link CorpusReader}) and encodes it in
 * batches with the full tokenizer, so any corpus size runs in bounded memory.
 */
public final class CorpusCounter {

    /** Segments per native batch call. */
    static final int BATCH_SEGMENTS = 512;
    /** Characters per native batch call, whatever the segment count. */
    static final int BATCH_CHARS = 1 << 20;

    private CorpusCounter() {
    }

    /**
     * Counts uses of every id below {@code vocabRows}.
     *
     * @param unkId the tokenizer's {@code <unk>} id; {@code eos}, appended to every encoding, is not counted
     * @throws TrimException when the file cannot be read, or the tokenizer produces an id the model has no row for
     */
    public static PieceUsage count(TextTokenizer tokenizer, Path corpus, int vocabRows, int unkId) {
        long[] counts = new long[vocabRows];
        long tokens = 0;
        long unknown = 0;
        try (CorpusReader reader = CorpusReader.open(corpus, "corpus")) {
            for (List<String> batch = reader.nextBatch(BATCH_SEGMENTS, BATCH_CHARS); !batch.isEmpty();
                 batch = reader.nextBatch(BATCH_SEGMENTS, BATCH_CHARS)) {
                for (int[] ids : tokenizer.encode(batch)) {
                    for (int i = 0; i < ids.length - 1; i++) { // the last id is the appended </s>
                        int id = ids[i];
                        if (id < 0 || id >= vocabRows) {
                            throw new TrimException(corpus + ": near line " + reader.lineNumber() + " the tokenizer produced id "
                                    + id + ", but the model has only " + vocabRows + " rows");
                        }
                        counts[id]++;
                        if (id == unkId) unknown++;
                    }
                    tokens += ids.length - 1;
                }
            }
            return new PieceUsage(counts, reader.segments(), tokens, unknown);
        }
    }
}
