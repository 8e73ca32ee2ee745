package dev.mt5augment.models.generation;

/**
 * One encoder row: token ids as the tokenizer gives them (ending in {@code </s>}, no padding),
 * and how to generate from it.
 */
public record GenerationInput(int[] inputIds, GenerationConfig config) {
    public GenerationInput {
        if (inputIds == null || inputIds.length == 0) throw new IllegalArgumentException("inputIds must not be empty");
        if (config == null) throw new IllegalArgumentException("config is required");
    }
}
