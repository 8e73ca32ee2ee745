package dev.mt5augment.models.generation;

import java.util.List;
import java.util.function.Predicate;

/**
 * Continuous (iteration-level) batching: inputs join a running decoder batch between steps and leave
 * it the step they finish, so the batch stays full while outputs of mixed lengths come and go. This
 * is what a worker drives when requests arrive while others are being generated.
 *
 * <p>A row's ids depend only on its input, config and seed, exactly as with
 * {@link Seq2SeqGenerator#generate}: an input gives the same sequences and scores whether it is
 * generated in a static batch or joins a session at any step next to any other inputs.
 *
 * <p>Beam search is not supported (see {@link ContinuousBatcher}); run beam inputs through
 * {@link Seq2SeqGenerator#generate}.
 *
 * <p>Threading: not thread-safe; confined to the thread that drives the generator it came from.
 *
 * @param <T> the caller's handle of an input (a request row), given back when the input finishes
 */
public interface GenerationSession<T> extends AutoCloseable {

    /**
     * Encodes {@code inputs} now; their rows join the decoder batch at the next {@link #step()}.
     * All or nothing: when it throws, none of them was admitted.
     *
     * @param tags one per input, returned with its output
     * @throws IllegalArgumentException naming the input, for an invalid input or a beam-search config
     * @throws GenerationException      when the engine fails while encoding
     */
    void admit(List<GenerationInput> inputs, List<T> tags);

    /**
     * Advances every live row by one token. Rows that produce {@code </s>} or reach their
     * {@code maxNewTokens} leave the batch; inputs whose rows have all finished are returned.
     * An engine failure empties the session and says which inputs it held.
     */
    StepResult<T> step();

    /** Removes the inputs whose tag matches (their requests were cancelled); returns their tags. */
    List<T> evict(Predicate<? super T> which);

    /** Inputs admitted and not yet finished or evicted. */
    int liveInputs();

    /** Decoder rows that the next step feeds: the unfinished rows of the live inputs. */
    int liveRows();

    default boolean isEmpty() {
        return liveInputs() == 0;
    }

    /** Frees the session's memory; live inputs are dropped. */
    @Override
    void close();
}
