package dev.mt5augment.models.cli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a Hugging Face {@code tokenizer.json} equivalent to a SentencePiece {@code spiece.model}.
 * The hook through which {@code bin/mt5 convert} gets the tokenizer module's converter; until it is
 * wired in {@link Mt5Command}, {@link #UNAVAILABLE} says so.
 */
@FunctionalInterface
public interface SentencePieceConversion {

    void writeTokenizerJson(Path spieceModel, Path tokenizerJson) throws IOException;
}
