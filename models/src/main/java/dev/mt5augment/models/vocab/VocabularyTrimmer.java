package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.checkpoint.SafetensorsCheckpoint;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.tokenizer.HuggingFaceTextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Trims an mT5 model's vocabulary to the pieces a corpus uses ({@code bin/mt5 trim-vocab}): the
 * embedding and LM head keep only those rows, {@code tokenizer.json} only those pieces, and
 * {@code vocab-mapping.json} traces every new id back to the original one. The LM head is the largest
 * matrix product of every decoder step (768 x 250,112 for mT5-base), so a Chinese model that keeps
 * ~30k rows decodes faster and is ~40 % smaller.
 *
 * <h2>What is kept</h2>
 * Special tokens and the config's pad / eos / decoder-start ids; every piece the corpus uses at least
 * {@code minCount} times under the full tokenizer; with {@code keepAscii}, every ASCII piece; ids
 * listed with {@code --keep-ids}; non-special added tokens; byte-fallback pieces; and the piece with
 * the lowest score (see (a)). Kept ids keep their relative order, so ids below the first dropped one
 * are unchanged: mT5's {@code <pad>} 0, {@code </s>} 1 and {@code <unk>} 2 stay valid decoder start,
 * pad and eos ids. The vocabulary is <b>not</b> rounded up to a multiple of 64 as mT5's is: a padding
 * row would be a live output whose logit {@code w·h} competes in every argmax and softmax (mT5's 12
 * extra rows were trained to be improbable; an invented row cannot be), which would void (b).
 *
 * <h2>What stays equal, and why</h2>
 * The one exact identity: the trimmed model <i>is</i> the full model with the logits of the dropped
 * ids removed before the softmax. The embedding rows it looks up are the same, so the encoder and
 * decoder states are the same, and its logits are the full logits of the kept rows (tested to 1e-5
 * on the engine; a different-sized matrix product may round differently in the last bit). What that
 * implies for each use:
 * <ol>
 * <li><b>(a) Tokenization.</b> If the full tokenizer segments a text into kept pieces only, the trimmed
 * one gives the same pieces (ids mapped). The normalizer and pre-tokenizer are unchanged, so the
 * unigram lattice sees the same characters; the trimmed lattice's piece nodes are a subset of the full
 * one's with the same scores. Rust tokenizers adds an {@code <unk>} node of score
 * {@code min_score - 10} at each position where no single-character piece starts; trimming adds such
 * nodes where a dropped character piece was, and would raise {@code min_score} (so make {@code <unk>}
 * <i>cheaper</i>) if the lowest-scoring piece were dropped. Keeping that piece pins {@code min_score},
 * so every new {@code <unk>} node scores below the piece it replaces ({@code min_score - 10 < score}),
 * every trimmed path scores at most as much as a full path, and the full best path, being all kept, is
 * still feasible and still best. Exact score ties between segmentations may break differently.</li>
 * <li><b>(b) Greedy search</b>, also with repetition penalty, no-repeat n-grams and min new tokens
 * (they act on id identity, which the mapping preserves): the argmax over a subset equals the full
 * argmax whenever the full argmax is in the subset. So for an input whose tokens are all kept, if every
 * token the full model emits is kept, the trimmed model emits the same tokens, mapped. Its score (the
 * summed log-probabilities) is higher or equal: renormalizing over fewer rows only raises them.</li>
 * <li><b>(c) Beam search does not have this guarantee</b>, and no sound trim can give it. Beam scores sum
 * {@code log_softmax}; over the kept rows each step adds {@code δ = -log P_full(kept | prefix) >= 0} to
 * a hypothesis, and δ differs from beam to beam, so the ranking of hypotheses can change even when every
 * token involved is kept; and a dropped candidate among the full search's top {@code 2 x beams} frees a
 * slot for a hypothesis the full search pruned. Keeping the normalizer would need the dropped rows'
 * logits, i.e. the full LM head trimming exists to avoid (an extra "rest" row cannot carry a
 * log-sum-exp, and a padding row changes the softmax too). On the tiny fixture trimmed to 90 % of its
 * rows, 131 of the 200 inputs whose full beam outputs (4 beams, 2 returns) stay in the kept set get the
 * same beams; the other 69 differ. What does hold: a sequence both models return scores higher or equal
 * in the trimmed model (by its summed δ over the length penalty), and the outputs agree whenever the
 * dropped mass along the explored beams is too small to reorder them, which an in-domain trim makes
 * likely for a trained model but cannot promise.</li>
 * <li><b>Sampling</b> draws from the distribution renormalized over the kept rows, so plain sampling
 * changes by design (9 of 40 fixture inputs in the test). With top-k it draws from the k best logits
 * alone: if the full model's top k at every step are kept, the trimmed model samples the same ids
 * with the same seed (tested with top-k 5).</li>
 * </ol>
 *
 * <h2>Output</h2>
 * OUT gets {@code model.safetensors} ({@link TrimmedCheckpointWriter}), {@code config.json} with the
 * new {@code vocab_size} (other fields as they were), {@code tokenizer.json}
 * ({@link TokenizerJsonTrimmer}; also when the source has only {@code spiece.model}, which is not
 * copied: its ids would be wrong), {@code generation_config.json} with its token ids mapped, and
 * {@code vocab-mapping.json} ({@link IdMapping}). Everything is written to a staging folder next to
 * OUT, checked (the checkpoint is opened and validated against the new config, the tokenizer loaded),
 * then moved into place in one rename, so OUT is never half-written.
 *
 * <p>Memory: the corpus is streamed, the weights are copied through one small buffer; neither the heap
 * nor the engine ever holds the model.
 *
 * <p>Not thread-safe: one trim per instance.
 */
public final class VocabularyTrimmer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE_MARKER = "\u2581";

    private final Path source;
    private final Path out;
    private final Path corpus;
    private final Path heldOut;
    private final KeepPolicy policy;
    private final PrintStream progress;

    private VocabularyTrimmer(Builder b) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.out = Objects.requireNonNull(b.out, "out");
        this.corpus = b.corpus;
        this.heldOut = b.heldOut;
        this.policy = b.policy;
        this.progress = b.progress;
    }

    public static Builder builder(Path source, Path out) {
        return new Builder(source, out);
    }

    /** Runs the trim. @throws TrimException (or the config / checkpoint / tokenizer exception) naming what is wrong */
    public TrimReport trim() {
        long start = System.nanoTime();
        checkFolders();
        if (corpus == null && policy.extraIds().length == 0) {
            throw new TrimException("nothing to keep: give a corpus (--corpus) or ids (--keep-ids)");
        }
        Mt5Config config = Mt5Config.load(source);
        int rows = config.vocabSize();
        SourceTokenizer tokenizer = SourceTokenizer.read(source, rows);
        if ((corpus != null || heldOut != null) && tokenizer == null) {
            throw new TrimException(source + ": has no tokenizer.json or spiece.model, so a corpus cannot be tokenized;"
                    + " use --keep-ids to trim a model by ids alone");
        }
        List<String> warnings = new ArrayList<>();
        try (HuggingFaceTextTokenizer full = tokenizer == null ? null : Tokenizers.load(source)) {
            PieceUsage usage = corpus == null ? null : countCorpus(full, rows, tokenizer.pieces(), warnings);
            int[] specials = {config.padTokenId(), config.eosTokenId(), config.decoderStartTokenId()};
            VocabularySelection selection = VocabularySelection.select(rows, tokenizer == null ? null : tokenizer.pieces(),
                    usage, specials, policy);
            IdMapping mapping = selection.mapping();
            boolean specialsUnchanged = Arrays.stream(specials).allMatch(id -> mapping.toNew(id) == id);
            if (!specialsUnchanged) warnings.add("special ids moved: config.json and generation_config.json were remapped");
            note("keeping " + mapping.newVocabSize() + " of " + rows + " ids");

            Staged staged = writeStaged(config, tokenizer, mapping, full);
            HeldOutCoverage coverage = staged.coverage();
            if (coverage != null && coverage.identicalLines() != coverage.fullyCoveredLines()) {
                warnings.add(heldOut + ": " + (coverage.fullyCoveredLines() - coverage.identicalLines())
                        + " fully covered line(s) tokenize differently after trimming (exact score ties), first at "
                        + coverage.firstDifferentLines());
            }
            return new TrimReport(source, out, rows, mapping.newVocabSize(), tokenizer == null ? 0 : tokenizer.pieces().size(),
                    staged.newPieces(), selection.keptBy(), policy, usage, specialsUnchanged, staged.oldModelBytes(),
                    staged.newModelBytes(), staged.weights().droppedAliases(), coverage, warnings, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The source folder's tokenizer, raw (before the special-token shield), with its pieces. */
    private record SourceTokenizer(JsonNode json, String file, PieceTable pieces) {

        /** Null when the folder has no tokenizer. */
        static SourceTokenizer read(Path dir, int rows) {
            if (!Files.isRegularFile(dir.resolve(Tokenizers.TOKENIZER_JSON)) && !Files.isRegularFile(dir.resolve(Tokenizers.SENTENCEPIECE_MODEL))) {
                return null;
            }
            String file = Tokenizers.locate(dir).toString();
            JsonNode json = Tokenizers.readTokenizerJson(dir);
            PieceTable pieces = PieceTable.of(json, file);
            if (pieces.size() > rows) throw new TrimException(file + ": has " + pieces.size() + " pieces but the model's vocab_size is " + rows);
            return new SourceTokenizer(json, file, pieces);
        }
    }

    /** What went into OUT. */
    private record Staged(TrimmedCheckpointWriter.Written weights, long oldModelBytes, long newModelBytes, int newPieces,
                          HeldOutCoverage coverage) {
    }

    private PieceUsage countCorpus(HuggingFaceTextTokenizer full, int rows, PieceTable pieces, List<String> warnings) {
        note("counting the pieces of " + corpus);
        PieceUsage usage = CorpusCounter.count(full, corpus, rows, full.vocabulary().unkId());
        checkUsage(usage, pieces);
        if (usage.unknownTokens() * 10 > usage.tokens()) {
            warnings.add(corpus + ": " + usage.unknownTokens() + " of " + usage.tokens()
                    + " tokens are <unk>: the full vocabulary lacks many of its characters");
        }
        return usage;
    }

    /** Writes everything to the staging folder, checks it, and moves it to OUT; the staging folder never outlives a failure. */
    private Staged writeStaged(Mt5Config config, SourceTokenizer tokenizer, IdMapping mapping, HuggingFaceTextTokenizer full) {
        Path staging = stagingFolder();
        try {
            deleteQuietly(staging); // left by a trim that was killed
            Files.createDirectories(staging);
            Path weights = staging.resolve(SafetensorsCheckpoint.FILE_NAME);
            long oldBytes = 0;
            TrimmedCheckpointWriter.Written written;
            try (MappedCheckpoint checkpoint = Checkpoints.open(source)) {
                CheckpointValidator.validate(checkpoint, config);
                for (Path f : checkpoint.files()) oldBytes += Files.size(f);
                note("writing " + weights);
                written = TrimmedCheckpointWriter.write(checkpoint, mapping, weights);
            }
            writeConfig(mapping, staging);
            writeGenerationConfig(mapping, staging);
            int newPieces = 0;
            if (tokenizer != null) {
                newPieces = TokenizerJsonTrimmer.keptPieces(mapping, tokenizer.pieces().size());
                writeJson(staging.resolve(Tokenizers.TOKENIZER_JSON), TokenizerJsonTrimmer.trim(tokenizer.json(), mapping, tokenizer.file()));
            }
            mapping.write(staging.resolve(IdMapping.FILE_NAME));
            HeldOutCoverage coverage = checkOutput(staging, mapping, newPieces, full);
            long newBytes = Files.size(weights);
            moveIntoPlace(staging);
            return new Staged(written, oldBytes, newBytes, newPieces, coverage);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new TrimException(staging + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    private void checkFolders() {
        if (!Files.isDirectory(source)) throw new TrimException(source + ": no such model folder");
        checkTextFile(corpus, "corpus");
        checkTextFile(heldOut, "held-out");
        Path absOut = out.toAbsolutePath().normalize();
        Path absSource = source.toAbsolutePath().normalize();
        try {
            if (absOut.equals(absSource) || (Files.exists(out) && Files.isSameFile(out, source))) {
                throw new TrimException(out + ": OUT must differ from DIR: trimming in place would overwrite the weights being read");
            }
            if (Files.exists(out)) {
                if (!Files.isDirectory(out)) throw new TrimException(out + ": exists and is not a folder");
                try (Stream<Path> entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new TrimException(out + ": exists and is not empty; give a new or empty folder");
                    }
                }
            }
        } catch (IOException e) {
            throw new TrimException(out + ": " + e.getMessage(), e);
        }
        if (absSource.startsWith(absOut)) throw new TrimException(out + ": OUT must not contain DIR");
    }

    private static void checkTextFile(Path file, String role) {
        if (file == null) return;
        if (Files.isDirectory(file)) throw new TrimException(file + ": the " + role + " file is a directory");
        if (!Files.isRegularFile(file)) throw new TrimException(file + ": no such " + role + " file");
    }

    private static boolean hasTokenizer(Path dir) {
        return Files.isRegularFile(dir.resolve(Tokenizers.TOKENIZER_JSON)) || Files.isRegularFile(dir.resolve(Tokenizers.SENTENCEPIECE_MODEL));
    }

    /** Refuses a corpus that leaves nothing to keep but special tokens, {@code <unk>} and the bare {@code ▁}. */
    private void checkUsage(PieceUsage usage, PieceTable pieces) {
        if (usage.segments() == 0) throw new TrimException(corpus + ": the corpus has no text (no non-blank line)");
        long useful = 0;
        for (int id = 0; id < pieces.size(); id++) {
            if (usage.count(id) >= policy.minCount() && !pieces.isSpecial(id) && !pieces.piece(id).equals(SPACE_MARKER)) useful++;
        }
        if (useful == 0 && !policy.keepAscii() && policy.extraIds().length == 0) {
            throw new TrimException(corpus + ": no piece besides <unk> and ▁ is used " + policy.minCount() + " time(s) ("
                    + usage.unknownTokens() + " of " + usage.tokens() + " tokens are <unk>); is it the right file, and is it UTF-8 text"
                    + " in the model's languages?");
        }
    }

    private void writeConfig(IdMapping mapping, Path staging) throws IOException {
        Path file = source.resolve("config.json");
        JsonNode tree = JSON.readTree(file.toFile());
        ObjectNode config = (ObjectNode) tree;
        config.put("vocab_size", mapping.newVocabSize());
        remapTokenIds(config, mapping, file.toString());
        Mt5Config.fromJson(config, file + " (trimmed)"); // still a valid config
        writeJson(staging.resolve("config.json"), config);
    }

    private void writeGenerationConfig(IdMapping mapping, Path staging) throws IOException {
        Path file = source.resolve("generation_config.json");
        if (!Files.isRegularFile(file)) return;
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TrimException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode config)) throw new TrimException(file + ": not a JSON object");
        remapTokenIds(config, mapping, file.toString());
        writeJson(staging.resolve("generation_config.json"), config);
    }

    /** Maps every {@code *_token_id} field (an id or a list of ids); a dropped id is an error. */
    private static void remapTokenIds(ObjectNode config, IdMapping mapping, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().endsWith("_token_id")) continue;
            JsonNode v = e.getValue();
            if (v.isIntegralNumber()) {
                e.setValue(IntNode.valueOf(mapTokenId(mapping, v.intValue(), source, e.getKey())));
            } else if (v instanceof ArrayNode ids) {
                for (int i = 0; i < ids.size(); i++) {
                    ids.set(i, IntNode.valueOf(mapTokenId(mapping, ids.get(i).asInt(), source, e.getKey())));
                }
            }
        }
    }

    private static int mapTokenId(IdMapping mapping, int id, String source, String field) {
        if (!mapping.isKept(id)) throw new TrimException(source + ": " + field + " = " + id + " was not kept");
        return mapping.toNew(id);
    }

    /** Opens what was written the way the engine will; measures the held-out file. */
    private HeldOutCoverage checkOutput(Path staging, IdMapping mapping, int newPieces, HuggingFaceTextTokenizer full) {
        Mt5Config config = Mt5Config.load(staging);
        try (MappedCheckpoint written = Checkpoints.open(staging)) {
            CheckpointValidator.validate(written, config);
        }
        if (newPieces == 0) return null;
        try (HuggingFaceTextTokenizer trimmed = Tokenizers.load(staging)) {
            if (trimmed.pieceCount() != newPieces) {
                throw new TrimException(staging + ": the trimmed tokenizer has " + trimmed.pieceCount() + " pieces, expected " + newPieces);
            }
            if (heldOut == null) return null;
            note("measuring coverage on " + heldOut);
            return HeldOutCoverage.measure(full, trimmed, mapping, full.vocabulary().unkId(), heldOut);
        }
    }

    private Path stagingFolder() {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".trim-partial");
    }

    private void moveIntoPlace(Path staging) throws IOException {
        if (Files.isDirectory(out)) {
            try {
                Files.delete(out); // checked empty at the start
            } catch (DirectoryNotEmptyException e) {
                throw new TrimException(out + ": something was written into it during the trim; the result is left in " + staging);
            }
        }
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeJson(Path file, JsonNode json) throws IOException {
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: the staging folder is hidden and named after OUT.
        }
    }

    private void note(String message) {
        if (progress != null) progress.println(message);
    }

    /** Defaults: no corpus, no held-out file, {@link KeepPolicy#builder()}'s defaults, no progress output. */
    public static final class Builder {
        private final Path source;
        private final Path out;
        private Path corpus;
        private Path heldOut;
        private KeepPolicy policy = KeepPolicy.builder().build();
        private PrintStream progress;

        private Builder(Path source, Path out) {
            this.source = source;
            this.out = out;
        }

        /** The text whose pieces are kept, UTF-8, one segment per line. */
        public Builder corpus(Path v) {
            corpus = v;
            return this;
        }

        /** Text to measure coverage on (not used to choose pieces). */
        public Builder heldOut(Path v) {
            heldOut = v;
            return this;
        }

        public Builder policy(KeepPolicy v) {
            policy = Objects.requireNonNull(v);
            return this;
        }

        /** Where progress lines go (stderr in the command line); null for none. */
        public Builder progress(PrintStream v) {
            progress = v;
            return this;
        }

        public VocabularyTrimmer build() {
            return new VocabularyTrimmer(this);
        }
    }
}
