package dev.mt5augment.models.generation;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.runtime.ModelOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Seq2SeqGenerator} for mT5 on DJL's PyTorch engine.
 *
 * <p>A batch is split into groups that can share decoder steps: greedy rows, sampled rows, and beam
 * rows per beam width. Each group runs as one {@link DecoderSession}: every input encoded once, its
 * cross-attention keys and values projected once and shared by its return sequences, a preallocated
 * self-attention cache, the LM head on the last position only, and finished inputs leaving the batch.
 *
 * <p>Batch independence: a row's ids depend only on its input, config and seed. Inputs are encoded at
 * their length rounded up to {@link ModelOptions#lengthBucket()} together with inputs of the same
 * padded length and row count, and the engine's products are kept row-stable (see
 * {@code dev.mt5augment.models.nn.Linear}), so no number of a row depends on its batch mates.
 *
 * <p>Threading: not thread-safe; one thread at a time, one generator per device.
 */
public final class Mt5Generator implements Seq2SeqGenerator {

    private final Mt5Weights weights;
    private final Mt5Config config;
    private final ModelOptions options;
    private final NDManager manager;
    private GenerationStats lastStats = GenerationStats.NONE;

    public Mt5Generator(Mt5Weights weights, ModelOptions options) {
        this.weights = weights;
        this.config = weights.config();
        this.options = options;
        this.manager = weights.manager().newSubManager();
    }

    @Override
    public int maxInputTokens() {
        return options.maxInputTokens();
    }

    /** Counters of the last {@link #generate} call. */
    public GenerationStats lastStats() {
        return lastStats;
    }

    /**
     * @throws IllegalArgumentException naming the input when an id is outside the vocabulary or an
     *                                  input is longer than {@link #maxInputTokens()}
     * @throws GenerationException      when the engine fails
     */
    @Override
    public List<GenerationOutput> generate(List<GenerationInput> batch) {
        for (int i = 0; i < batch.size(); i++) validate(i, batch.get(i));
        long start = System.nanoTime();
        GenerationOutput[] outputs = new GenerationOutput[batch.size()];
        GenerationStats stats = GenerationStats.NONE;
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            GenerationConfig c = batch.get(i).config();
            String key = c.strategy() == DecodingStrategy.BEAM ? "BEAM/" + c.numBeams() : c.strategy().name();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        try {
            for (List<Integer> group : groups.values()) stats = stats.plus(runGroup(batch, group, outputs));
        } catch (EngineException | IllegalStateException | UnsupportedOperationException e) {
            throw new GenerationException("generation failed in the engine: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof GenerationException) throw e;
            throw new GenerationException("generation failed: " + e, e);
        }
        lastStats = new GenerationStats(stats.inputs(), stats.decoderRows(), stats.decoderSteps(), stats.decoderRowSteps(),
                stats.generatedTokens(),
                stats.encoderNanos(), stats.decoderNanos(), System.nanoTime() - start);
        return List.of(outputs);
    }

    private void validate(int index, GenerationInput input) {
        int[] ids = input.inputIds();
        if (ids.length > options.maxInputTokens()) {
            throw new IllegalArgumentException("input " + index + " has " + ids.length + " tokens; at most "
                    + options.maxInputTokens() + " are accepted");
        }
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= config.vocabSize()) {
                throw new IllegalArgumentException("input " + index + ": token id " + ids[j] + " at position " + j
                        + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
    }

    private GenerationStats runGroup(List<GenerationInput> batch, List<Integer> group, GenerationOutput[] outputs) {
        List<int[]> ids = new ArrayList<>(group.size());
        List<GenerationConfig> configs = new ArrayList<>(group.size());
        int[] rowsPerInput = new int[group.size()];
        int capacity = 1;
        for (int g = 0; g < group.size(); g++) {
            GenerationInput in = batch.get(group.get(g));
            ids.add(in.inputIds());
            configs.add(in.config());
            rowsPerInput[g] = in.config().strategy() == DecodingStrategy.BEAM ? in.config().numBeams() : in.config().numReturnSequences();
            capacity = Math.max(capacity, in.config().maxNewTokens());
        }
        DecodingStrategy strategy = configs.get(0).strategy();
        int start = config.decoderStartTokenId();
        try (DecoderSession session = new DecoderSession(weights, manager, ids, rowsPerInput, options.lengthBucket(),
                config.padTokenId(), capacity)) {
            List<GenerationOutput> results;
            if (strategy == DecodingStrategy.BEAM) {
                results = new BeamSearch(config.eosTokenId(), config.padTokenId()).run(session, configs, start);
            } else {
                List<DecodingRow> rows = new ArrayList<>(session.rows());
                for (int r = 0; r < session.rows(); r++) {
                    int input = session.inputOf(r);
                    rows.add(new DecodingRow(input, session.slotOf(r), configs.get(input), start, configs.get(input).maxNewTokens()));
                }
                TokenSelector selector = strategy == DecodingStrategy.GREEDY ? new GreedySearch() : new Sampler();
                new RowwiseSearch(selector, config.eosTokenId(), config.padTokenId()).run(session, rows, group.size());
                results = collect(rows, configs);
            }
            long generated = 0;
            for (GenerationOutput o : results) {
                for (GeneratedSequence seq : o.sequences()) generated += seq.tokenIds().length - 1;
            }
            for (int g = 0; g < group.size(); g++) outputs[group.get(g)] = results.get(g);
            int decoderRows = java.util.Arrays.stream(rowsPerInput).sum();
            return new GenerationStats(group.size(), decoderRows, session.steps(), session.rowSteps(), generated,
                    session.encoderNanos(), session.decoderNanos(), 0);
        }
    }

    private static List<GenerationOutput> collect(List<DecodingRow> rows, List<GenerationConfig> configs) {
        List<List<GeneratedSequence>> perInput = new ArrayList<>();
        for (GenerationConfig c : configs) {
            List<GeneratedSequence> slots = new ArrayList<>();
            for (int s = 0; s < c.numReturnSequences(); s++) slots.add(null);
            perInput.add(slots);
        }
        for (DecodingRow row : rows) {
            perInput.get(row.input).set(row.slot, new GeneratedSequence(row.sequence(), (float) row.score));
        }
        List<GenerationOutput> out = new ArrayList<>();
        for (List<GeneratedSequence> s : perInput) out.add(new GenerationOutput(s));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
