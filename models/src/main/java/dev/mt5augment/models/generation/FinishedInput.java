package dev.mt5augment.models.generation;

/**
 * An input of a {@link GenerationSession} whose rows have all finished.
 *
 * @param tag    the caller's handle given at admission
 * @param output its sequences, as {@link Seq2SeqGenerator#generate} would return them
 */
public record FinishedInput<T>(T tag, GenerationOutput output) {
}
