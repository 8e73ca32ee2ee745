package dev.mt5augment.worker.inference;

import dev.mt5augment.models.generation.GenerationOutput;

/** What became of one encoder row in a batch. */
public sealed interface RowResult {
    /** The model generated the row's sequences. */
    record Generated(GenerationOutput output) implements RowResult {
    }

    /** The row failed on its own (its batch was split down to it) or with its whole batch. */
    record Failed(RuntimeException cause) implements RowResult {
    }
}
