package dev.mt5augment.models.generation;

import java.util.List;

/** What one {@link GenerationInput} produced: {@code numReturnSequences} sequences, best first for beam search. */
public record GenerationOutput(List<GeneratedSequence> sequences) {
    public GenerationOutput {
        sequences = List.copyOf(sequences);
    }
}
