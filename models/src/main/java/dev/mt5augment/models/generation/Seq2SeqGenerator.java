package dev.mt5augment.models.generation;

import java.util.List;

/**
 * Batched encoder-decoder generation. This is what a worker drives.
 *
 * <p>Threading: an instance is bound to one device and is <b>not</b> thread-safe; one thread at a
 * time calls {@link #generate}. Run one instance per device.
 */
public interface Seq2SeqGenerator extends AutoCloseable {

    /**
     * Generates for every input of the batch. The result has one entry per input, in input order.
     * Inputs may carry different configs; the implementation groups them as the engine needs.
     *
     * @throws GenerationException when the engine fails; the batch as a whole has no result then
     */
    List<GenerationOutput> generate(List<GenerationInput> batch);

    /**
     * Opens a continuous-batching session on this generator: inputs join and leave a running decoder
     * batch between steps, and each gets the same output as from {@link #generate}.
     *
     * @throws UnsupportedOperationException when this generator has no such mode (the default)
     */
    default <T> GenerationSession<T> openSession() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no continuous batching");
    }

    /** The most input tokens one row may have (the tokenizer truncates nothing; callers check). */
    int maxInputTokens();

    @Override
    void close();
}
