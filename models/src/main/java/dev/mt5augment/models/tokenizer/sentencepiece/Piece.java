package dev.mt5augment.models.tokenizer.sentencepiece;

/**
 * One vocabulary entry of a SentencePiece model; its id is its index in the model.
 *
 * @param text  the piece, with {@code ▁} (U+2581) standing for a space
 * @param score unigram log-probability (higher is more likely)
 * @param type  how the segmenter treats it
 */
public record Piece(String text, float score, PieceType type) {
}
