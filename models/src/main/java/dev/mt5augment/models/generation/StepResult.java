package dev.mt5augment.models.generation;

import java.util.List;

/**
 * What one {@link GenerationSession#step()} did.
 *
 * @param <T> the caller's handle of an input
 */
public sealed interface StepResult<T> {

    /**
     * The live rows advanced by one token.
     *
     * @param finished inputs that finished this step, with their outputs
     * @param rows     decoder rows the step fed
     */
    record Advanced<T>(List<FinishedInput<T>> finished, int rows) implements StepResult<T> {
        public Advanced {
            finished = List.copyOf(finished);
        }
    }

    /**
     * The engine failed during the step. The session dropped every input it held; they are listed so
     * that the caller can run them again (alone or in halves, to find a poison input: generation is
     * deterministic, so a rerun from scratch gives what the session would have).
     *
     * @param cause   the failure
     * @param evicted the tags of every input the session held
     */
    record Failed<T>(GenerationException cause, List<T> evicted) implements StepResult<T> {
        public Failed {
            evicted = List.copyOf(evicted);
        }
    }
}
