package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.models.tokenizer.sentencepiece.SentencePieceModel;
import dev.mt5augment.models.tokenizer.sentencepiece.SentencePieceToTokenizerJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and loads the tokenizer of a checkpoint folder: {@code tokenizer.json} when present, else
 * {@code spiece.model} converted in memory (no file is written), else an error listing what the
 * folder holds. A corrupt {@code tokenizer.json} is an error even when {@code spiece.model} is
 * there too: the two might disagree, and silently using the other would hide it.
 */
public final class Tokenizers {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String SENTENCEPIECE_MODEL = "spiece.model";

    /** Far above mT5's 16 MB tokenizer.json; larger files are refused before they are read. */
    public static final long MAX_TOKENIZER_JSON_BYTES = 256L << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Tokenizers() {
    }

    /**
     * Loads the tokenizer of {@code path}: a checkpoint folder, or a {@code tokenizer.json} /
     * {@code *.model} file itself.
     */
    public static HuggingFaceTextTokenizer load(Path path) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        Path file = locate(path);
        JsonNode json = isSentencePiece(file)
                ? SentencePieceToTokenizerJson.convert(SentencePieceModel.read(file))
                : readJsonFile(file);
        return HuggingFaceTextTokenizer.create(SpecialTokenShield.apply(json, file.toString()), file.toString());
    }

    /**
     * Writes the tokenizer.json of checkpoint folder {@code dir} to {@code out}: a copy of its
     * {@code tokenizer.json}, or the conversion of its {@code spiece.model}. For {@code mt5 convert}.
     */
    public static void writeTokenizerJson(Path dir, Path out) {
        Path file = locate(dir);
        if (isSentencePiece(file)) {
            SentencePieceToTokenizerJson.write(SentencePieceModel.read(file), out);
            return;
        }
        readJsonFile(file); // refuse to copy a corrupt file
        try {
            Files.copy(file, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TokenizerException(out + ": cannot write: " + e, e);
        }
    }

    /**
     * The {@code tokenizer.json} tree {@link #load} starts from, before the special-token shield: the
     * file itself, or the conversion of {@code spiece.model}. For tools that rewrite the tokenizer
     * (vocabulary trimming); the result is a fresh tree the caller may edit.
     */
    public static JsonNode readTokenizerJson(Path path) {
        Path file = locate(path);
        return isSentencePiece(file)
                ? SentencePieceToTokenizerJson.convert(SentencePieceModel.read(file))
                : readJsonFile(file);
    }

    /** The tokenizer file {@link #load} would use for {@code path}. */
    public static Path locate(Path path) {
        if (Files.isRegularFile(path)) return path;
        if (!Files.isDirectory(path)) throw new TokenizerException(path + ": no such file or directory");
        Path json = path.resolve(TOKENIZER_JSON);
        if (Files.isRegularFile(json)) return json;
        Path spiece = path.resolve(SENTENCEPIECE_MODEL);
        if (Files.isRegularFile(spiece)) return spiece;
        throw new TokenizerException(path + ": no tokenizer: expected " + TOKENIZER_JSON + " or " + SENTENCEPIECE_MODEL
                + "; the folder holds " + listing(path));
    }

    private static boolean isSentencePiece(Path file) {
        return file.getFileName().toString().endsWith(".model");
    }

    private static JsonNode readJsonFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_TOKENIZER_JSON_BYTES) {
                throw new TokenizerException(file + ": " + size + " bytes is too large for a tokenizer.json (limit "
                        + MAX_TOKENIZER_JSON_BYTES + ")");
            }
            JsonNode tree = MAPPER.readTree(Files.readAllBytes(file));
            if (tree == null || !tree.isObject()) throw new TokenizerException(file + ": not a JSON object");
            return tree;
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e, e);
        }
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(50).toList();
            return names.isEmpty() ? "nothing" : String.join(", ", names);
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
