package dev.mt5augment.contracts.result;

import java.util.List;
import java.util.Objects;

/**
 * The variants generated for one input text.
 *
 * @param text     the input text as normalised (trimmed)
 * @param variants generated texts, best first for beam search; may be fewer than requested when
 *                 {@code dedupe} dropped duplicates, and may be empty
 */
public record TextResult(String text, List<String> variants) {
    public TextResult {
        Objects.requireNonNull(text, "text");
        variants = List.copyOf(Objects.requireNonNull(variants, "variants"));
    }
}
