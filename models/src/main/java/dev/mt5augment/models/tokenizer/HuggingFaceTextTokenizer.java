package dev.mt5augment.models.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * mT5's tokenizer on DJL's {@link HuggingFaceTokenizer} (Rust tokenizers 0.21): ids as SentencePiece
 * gives them plus {@code </s>}, never truncated or padded. Built by {@link Tokenizers#load}.
 *
 * <p>Text handling:
 * <ul>
 *   <li>User text cannot produce special ids: {@code </s>}, {@code <pad>} or {@code <unk>} written in
 *       the text are encoded as their characters, as SentencePiece does ({@link SpecialTokenShield}).
 *       An encoding that still holds a special id before its final {@code </s>} is refused.</li>
 *   <li>Lone UTF-16 surrogates (text that is not valid Unicode) are replaced by U+FFFD before
 *       encoding, as a UTF-8 encoder would; mT5's normalizer then drops U+FFFD like SentencePiece does.</li>
 *   <li>Any length is accepted; limits belong to the caller (the request contract).</li>
 * </ul>
 *
 * <p>Decoding ({@link #decode}) gives what ModelScope's T5 pipeline gives: special ids and ids with
 * no piece are skipped ({@link #detokenize}), then transformers' {@link TokenizationSpaceCleanup}
 * and ModelScope's {@link ChineseSpacing} are applied.
 *
 * <p>Threading: thread-safe. Calls run concurrently; {@link #close} waits for running calls and
 * makes later ones fail with {@link IllegalStateException} instead of touching freed native memory.
 */
public final class HuggingFaceTextTokenizer implements TextTokenizer {

    /**
     * Encoding goes to DJL's JNI binding directly: {@code HuggingFaceTokenizer.encode} also copies
     * tokens, word ids, masks and character spans into Java for every text, which made it 3x slower
     * (TokenizerThroughputBenchmark). Padding and truncation are still the ones set on the handle.
     */
    private static final TokenizersLibrary NATIVE = TokenizersLibrary.LIB;

    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final String source;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private HuggingFaceTextTokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, String source) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.source = source;
    }

    /**
     * Builds the native tokenizer from a shielded tokenizer.json and checks that it appends
     * {@code </s>}; {@code source} names where the JSON came from, in errors.
     */
    static HuggingFaceTextTokenizer create(SpecialTokenShield.Shielded shielded, String source) {
        byte[] json = shielded.tokenizerJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // DJL defaults to padding LONGEST and truncating at 512; mT5 inputs need neither.
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "padding", "false",
                "truncation", "false");
        HuggingFaceTokenizer native_;
        try {
            native_ = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(source + ": the Hugging Face tokenizer library rejects it: " + e.getMessage(), e);
        }
        HuggingFaceTextTokenizer created = new HuggingFaceTextTokenizer(native_, shielded.vocabulary(), source);
        created.checkEosIsAppended();
        return created;
    }

    private void checkEosIsAppended() {
        long[] empty = tokenizer.encode("").getIds();
        if (empty.length != 1 || empty[0] != vocabulary.eosId()) {
            close();
            throw new TokenizerException(source + ": encoding the empty text gives " + Arrays.toString(empty) + ", expected ["
                    + vocabulary.eosId() + "]: its post_processor must append </s> and nothing else");
        }
    }

    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long encoding = NATIVE.encode(tokenizer.getHandle(), validUnicode(text), true);
            long[] ids;
            try {
                ids = NATIVE.getTokenIds(encoding);
            } finally {
                NATIVE.deleteEncoding(encoding);
            }
            return checked(ids, text);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Encodes many texts in one native call, in parallel inside the Rust library. */
    @Override
    public List<int[]> encode(List<String> texts) {
        String[] inputs = new String[texts.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = validUnicode(Objects.requireNonNull(texts.get(i), "texts[" + i + "]"));
        }
        if (inputs.length == 0) return List.of();
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long[] encodings = NATIVE.batchEncode(tokenizer.getHandle(), inputs, true);
            long[][] ids = new long[encodings.length][];
            try {
                for (int i = 0; i < encodings.length; i++) ids[i] = NATIVE.getTokenIds(encodings[i]);
            } finally {
                for (long encoding : encodings) NATIVE.deleteEncoding(encoding);
            }
            List<int[]> out = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) out.add(checked(ids[i], texts.get(i)));
            return out;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Text of generated ids as ModelScope's T5 pipeline returns it: {@link #detokenize}, then
     * {@link TokenizationSpaceCleanup}, then {@link ChineseSpacing}.
     */
    @Override
    public String decode(int[] ids) {
        return ChineseSpacing.removeSpacesBetweenChineseWords(TokenizationSpaceCleanup.apply(detokenize(ids)));
    }

    /**
     * The pieces of {@code ids} joined back into text (▁ becomes a space, the leading one dropped),
     * skipping special ids ({@code <pad>}, {@code </s>}, {@code <unk>}), negative ids and ids with no
     * piece (mT5's vocabulary has 12 more rows than pieces). No other clean-up: this is
     * SentencePiece's {@code decode} minus the {@code " ⁇ "} it prints for {@code <unk>}.
     */
    public String detokenize(int[] ids) {
        long[] text = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (vocabulary.isText(id)) text[n++] = id;
        }
        if (n == 0) return "";
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return tokenizer.decode(Arrays.copyOf(text, n), true);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Number of pieces; ids from here up to the model's vocabulary size decode to nothing. */
    public int pieceCount() {
        return vocabulary.pieceCount();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Where the tokenizer was loaded from. */
    public String source() {
        return source;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "HuggingFaceTextTokenizer[" + source + ", " + vocabulary.pieceCount() + " pieces]";
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("tokenizer " + source + " is closed");
    }

    /** Ids as ints; refuses an encoding where the text produced a special id (other than {@code <unk>}). */
    private int[] checked(long[] ids, String text) {
        int[] out = new int[ids.length];
        int last = ids.length - 1;
        if (last < 0 || ids[last] != vocabulary.eosId()) {
            throw new TokenizerException(source + ": encoding does not end with </s> for text of " + text.length() + " chars");
        }
        for (int i = 0; i < ids.length; i++) {
            int id = (int) ids[i];
            if (i < last && id != vocabulary.unkId() && vocabulary.isSpecial(id)) {
                throw new TokenizerException(source + ": text would produce special token id " + id
                        + " at position " + i + "; special tokens cannot be written in the text");
            }
            out[i] = id;
        }
        return out;
    }

    /**
     * The text as it is encoded: unpaired surrogates replaced by U+FFFD. Returns {@code text}
     * itself when it has none (the usual case).
     */
    public static String validUnicode(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) break;
            i++;
        }
        if (i == n) return text;
        StringBuilder out = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return out.toString();
    }
}
