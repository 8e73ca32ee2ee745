package dev.mt5augment.models.vocab;

import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.GeneratedSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What trimming preserves in generation, on the real engine: the tiny fixture trimmed with its
 * corpus minus the held-out lines, run on every corpus line the trim covers (see
 * {@link VocabularyTrimmer} for the reasoning behind each case).
 */
class GenerationEquivalenceTest {

    @TempDir
    static Path tmp;
    static IdMapping mapping;
    static TrimmedModels full;
    static TrimmedModels trimmed;
    /** Covered inputs: full-vocabulary ids, and the trimmed tokenizer's ids of the same texts. */
    static List<int[]> fullInputs = new ArrayList<>();
    static List<int[]> trimmedInputs = new ArrayList<>();

    @BeforeAll
    static void trimAndLoad() {
        TrimFixture.trimFixture(tmp, "trimmed", KeepPolicy.builder().build());
        mapping = IdMapping.read(tmp.resolve("trimmed"));
        full = new TrimmedModels(TrimFixture.dir());
        trimmed = new TrimmedModels(tmp.resolve("trimmed"));
        // Each model's own tokenizer, as a worker would use it: (a) on every covered corpus line.
        List<String> lines = TrimFixture.corpusLines();
        List<int[]> a = full.tokenizer().encode(lines);
        List<int[]> b = trimmed.tokenizer().encode(lines);
        for (int i = 0; i < lines.size(); i++) {
            if (!mapping.keepsAll(a.get(i))) continue;
            assertArrayEquals(mapping.toNew(a.get(i)), b.get(i), "(a) on line " + i);
            fullInputs.add(a.get(i));
            trimmedInputs.add(b.get(i));
        }
    }

    @AfterAll
    static void close() {
        if (trimmed != null) trimmed.close();
        if (full != null) full.close();
    }

    /** The identity every case rests on: the trimmed logits are the full logits of the kept rows. */
    @Test
    void trimmedLogitsAreTheFullLogitsOfTheKeptRows() {
        double worst = 0;
        for (int i = 0; i < 8; i++) {
            // Any decoder ids will do (teacher forcing); those the trim dropped cannot be fed to it.
            int[] decoder = {0, 5, 17, 1, 300, 4, 4, 9, 2, 700};
            int[] kept = Arrays.stream(decoder).filter(mapping::isKept).toArray();
            float[][] a = full.logits(fullInputs.get(i * 50), kept);
            float[][] b = trimmed.logits(trimmedInputs.get(i * 50), mapping.toNew(kept));
            for (int t = 0; t < kept.length; t++) {
                assertEquals(mapping.newVocabSize(), b[t].length);
                for (int n = 0; n < b[t].length; n++) worst = Math.max(worst, Math.abs(b[t][n] - a[t][mapping.toOld(n)]));
            }
        }
        System.out.printf("trim-vocab equivalence: largest logit difference, trimmed vs full rows: %.3g%n", worst);
        assertTrue(worst <= 1e-5, "largest logit difference " + worst);
    }

    /** (b) Greedy, with and without the id-based processors: equal whenever the full output is kept. */
    @Test
    void greedyOutputsAreEqualWheneverTheFullOutputIsKept() {
        Map<String, GenerationConfig> configs = Map.of(
                "greedy", GenerationConfig.builder().maxNewTokens(20).build(),
                "repetition penalty 1.3", GenerationConfig.builder().maxNewTokens(20).repetitionPenalty(1.3f).build(),
                "no repeat 3-gram", GenerationConfig.builder().maxNewTokens(20).noRepeatNgramSize(3).build(),
                "min 8 new tokens", GenerationConfig.builder().maxNewTokens(20).minNewTokens(8).build());
        for (Map.Entry<String, GenerationConfig> c : configs.entrySet()) {
            List<int[]> inputs = c.getKey().equals("greedy") ? fullInputs : fullInputs.subList(0, 128);
            List<GenerationOutput> a = full.generate(inputs, c.getValue());
            List<GenerationOutput> b = trimmed.generate(trimmedInputs.subList(0, inputs.size()), c.getValue());
            int held = 0;
            for (int i = 0; i < inputs.size(); i++) {
                GeneratedSequence x = a.get(i).sequences().get(0);
                GeneratedSequence y = b.get(i).sequences().get(0);
                if (!mapping.keepsAll(x.tokenIds())) continue;
                held++;
                assertArrayEquals(mapping.toNew(x.tokenIds()), y.tokenIds(), c.getKey() + ", input " + i);
                // Renormalizing over fewer rows can only raise a log-probability.
                assertTrue(y.score() >= x.score() - 1e-4, c.getKey() + ": score " + y.score() + " < " + x.score());
            }
            System.out.printf("trim-vocab equivalence: %s: %d of %d outputs stay in the kept set, all equal%n", c.getKey(), held, inputs.size());
            assertTrue(held >= inputs.size() / 4, c.getKey() + ": the condition held for only " + held + " inputs");
        }
    }

    /**
     * (c) Beam search has no such guarantee: the trimmed log-softmax normalizes each beam over the kept
     * rows, shifting each beam's score by its own {@code -log P(kept)}. On this trim some inputs whose
     * full beam outputs are all kept get different beams; what always holds is that a sequence both
     * return scores at least as high in the trimmed model.
     */
    @Test
    void beamOutputsCanDifferEvenWhenEveryTokenIsKeptButSharedSequencesOnlyGainScore() {
        GenerationConfig beam = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).numBeams(4).numReturnSequences(2)
                .earlyStopping(true).maxNewTokens(20).build();
        List<GenerationOutput> a = full.generate(fullInputs, beam);
        List<GenerationOutput> b = trimmed.generate(trimmedInputs, beam);
        int held = 0, equal = 0, shared = 0;
        for (int i = 0; i < fullInputs.size(); i++) {
            List<GeneratedSequence> x = a.get(i).sequences();
            List<GeneratedSequence> y = b.get(i).sequences();
            boolean inside = x.stream().allMatch(s -> mapping.keepsAll(s.tokenIds()));
            boolean same = inside;
            for (int k = 0; k < x.size(); k++) {
                same &= inside && Arrays.equals(mapping.toNew(x.get(k).tokenIds()), y.get(k).tokenIds());
            }
            for (GeneratedSequence s : x) {
                if (!mapping.keepsAll(s.tokenIds())) continue;
                int[] mapped = mapping.toNew(s.tokenIds());
                for (GeneratedSequence t : y) {
                    if (!Arrays.equals(mapped, t.tokenIds())) continue;
                    shared++;
                    assertTrue(t.score() >= s.score() - 1e-4, "input " + i + ": trimmed score " + t.score() + " < " + s.score());
                }
            }
            if (inside) {
                held++;
                if (same) equal++;
            }
        }
        System.out.printf("trim-vocab equivalence: beam 4, 2 returns: %d of %d inputs keep both outputs in the kept set; "
                + "%d of those equal; %d sequences returned by both%n", held, fullInputs.size(), equal, shared);
        assertTrue(held > 50 && shared > 100, "condition held " + held + ", shared " + shared);
        assertTrue(equal < held, "every beam output agreed; the documented limitation (c) no longer shows on this fixture");
    }

    /**
     * Sampling with top-k draws from the k best logits only, so it is unchanged when every step's full
     * top k is kept: trim to exactly the union of those top-k sets (plus the inputs) and compare, seed
     * for seed. Without top-k the distribution is renormalized over fewer rows, and draws change.
     */
    @Test
    void topKSamplingIsEqualWhenEachStepsTopKIsKeptAndPlainSamplingChanges(@TempDir Path dir) throws Exception {
        int topK = 5;
        GenerationConfig sample = GenerationConfig.builder().strategy(DecodingStrategy.SAMPLE).numReturnSequences(2)
                .temperature(0.9f).topK(topK).topP(0.95f).seed(42).maxNewTokens(16).build();
        List<int[]> inputs = fullInputs.subList(0, 40);
        List<GenerationOutput> a = full.generate(inputs, sample);
        BitSet keep = new BitSet();
        for (int i = 0; i < inputs.size(); i++) {
            for (int id : inputs.get(i)) keep.set(id);
            for (GeneratedSequence s : a.get(i).sequences()) {
                float[][] logits = full.logits(inputs.get(i), Arrays.copyOf(s.tokenIds(), s.tokenIds().length - 1));
                for (float[] step : logits) for (int id : topIds(step, topK)) keep.set(id);
            }
        }
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, keep.toString().replaceAll("[{}]", ""));
        VocabularyTrimmer.builder(TrimFixture.dir(), dir.resolve("topk")).policy(KeepPolicy.builder().extraIds(IdListFile.read(ids)).build())
                .build().trim();
        IdMapping m = IdMapping.read(dir.resolve("topk"));
        assertTrue(m.newVocabSize() < 1000, "kept " + m.newVocabSize());
        List<int[]> mappedInputs = new ArrayList<>();
        for (int[] in : inputs) mappedInputs.add(m.toNew(in));
        GenerationConfig plain = sample.toBuilder().topK(0).topP(1f).build();
        int plainDiffer = 0;
        try (TrimmedModels small = new TrimmedModels(dir.resolve("topk"))) {
            List<GenerationOutput> b = small.generate(mappedInputs, sample);
            for (int i = 0; i < inputs.size(); i++) {
                for (int r = 0; r < 2; r++) {
                    GeneratedSequence x = a.get(i).sequences().get(r);
                    GeneratedSequence y = b.get(i).sequences().get(r);
                    assertArrayEquals(m.toNew(x.tokenIds()), y.tokenIds(), "input " + i + " return " + r);
                    assertEquals(x.score(), y.score(), 1e-4, "input " + i + " return " + r);
                }
            }
            List<GenerationOutput> pa = full.generate(inputs, plain);
            List<GenerationOutput> pb = small.generate(mappedInputs, plain);
            for (int i = 0; i < inputs.size(); i++) {
                int[] x = pa.get(i).sequences().get(0).tokenIds();
                if (!m.keepsAll(x) || !Arrays.equals(m.toNew(x), pb.get(i).sequences().get(0).tokenIds())) plainDiffer++;
            }
        }
        System.out.printf("trim-vocab equivalence: top-%d sampling: %d inputs x 2 equal after keeping %d ids; "
                + "plain sampling differs on %d of %d%n", topK, inputs.size(), m.newVocabSize(), plainDiffer, inputs.size());
        assertTrue(plainDiffer > 0, "plain sampling never changed");
    }

    private static int[] topIds(float[] logits, int k) {
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(logits[y], logits[x]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = order[i];
        return out;
    }
}
