package dev.mt5augment.models.tokenizer.sentencepiece;

import dev.mt5augment.models.tokenizer.TokenizerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A SentencePiece model as stored in {@code spiece.model} (a serialized {@code ModelProto}):
 * the pieces in id order, and the trainer and normalizer settings that decide segmentation.
 *
 * @param source         where it was read from, for messages
 * @param pieces         vocabulary; a piece's id is its index
 * @param trainerSpec    special ids, model type, byte fallback
 * @param normalizerSpec charsmap and whitespace handling
 */
public record SentencePieceModel(
        String source,
        List<Piece> pieces,
        TrainerSpec trainerSpec,
        NormalizerSpec normalizerSpec) {

    /**
     * Larger than any real model (mT5's is 4.3 MB): a bigger file is refused before it is read,
     * so a wrong path cannot exhaust the heap.
     */
    public static final long MAX_FILE_BYTES = 256L << 20;

    public SentencePieceModel {
        pieces = List.copyOf(pieces);
    }

    /** Reads and validates a {@code spiece.model} file. */
    public static SentencePieceModel read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TokenizerException(source + ": " + size + " bytes is too large for a SentencePiece model (limit "
                        + MAX_FILE_BYTES + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(source + ": no such file", e);
        } catch (IOException e) {
            throw new TokenizerException(source + ": cannot read: " + e, e);
        }
        return parse(bytes, source);
    }

    /** Parses and validates a serialized {@code ModelProto}; {@code source} names it in errors. */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        return ModelProtoParser.parse(bytes, source);
    }

    /** Number of pieces; ids at or above it have no piece. */
    public int size() {
        return pieces.size();
    }

    public Piece piece(int id) {
        return pieces.get(id);
    }
}
