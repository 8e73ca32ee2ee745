package dev.mt5augment.models.generation;

import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A row's ids depend on its input, config and seed only, never on what it is batched with (CPU). */
class BatchIndependenceTest {

    static TinyGenerator tiny;

    @BeforeAll
    static void load() {
        tiny = new TinyGenerator("model.safetensors");
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    /** 17 inputs of 3–60 tokens, sampled with assorted return counts, limits and seeds. */
    static List<GenerationInput> mixedSamplingBatch() {
        SplittableRandom random = new SplittableRandom(2024);
        List<GenerationInput> batch = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            int[] ids = TinyGenerator.randomInputIds(random);
            GenerationConfig config = GenerationConfig.builder().strategy(DecodingStrategy.SAMPLE)
                    .temperature(0.9f).topP(0.95f).topK(i % 4 == 0 ? 0 : 50)
                    .numReturnSequences(i == 7 ? 3 : 1 + i % 3)
                    .maxNewTokens(8 + i % 5 * 2).minNewTokens(i % 6 == 0 ? 4 : 0)
                    .repetitionPenalty(i % 5 == 0 ? 1.2f : 1f)
                    .seed(1000 + i).build();
            batch.add(new GenerationInput(ids, config));
        }
        return batch;
    }

    @ParameterizedTest(name = "{0} intra-op threads")
    @ValueSource(ints = {1, 2})
    void everySampledInputGivesTheSameIdsAloneAsInsideTheBatch(int threads) {
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try {
            assertIndependent(mixedSamplingBatch());
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    private static void assertIndependent(List<GenerationInput> batch) {
        List<GenerationOutput> together = tiny.generator.generate(batch);
        for (int i = 0; i < batch.size(); i++) {
            List<GenerationOutput> alone = tiny.generator.generate(List.of(batch.get(i)));
            assertEquals(batch.get(i).config().numReturnSequences(), together.get(i).sequences().size());
            for (int r = 0; r < together.get(i).sequences().size(); r++) {
                assertArrayEquals(alone.get(0).sequences().get(r).tokenIds(), together.get(i).sequences().get(r).tokenIds(),
                        "input " + i + " return " + r);
                assertEquals(alone.get(0).sequences().get(r).score(), together.get(i).sequences().get(r).score(),
                        "score of input " + i + " return " + r);
            }
        }
    }

    @Test
    void greedyAndBeamRowsAloneEqualTheGoldenBatch() {
        int[][] inputs = TinyMt5.unpaddedInputIds();
        int[][] greedy = TinyMt5.ints2d(TinyMt5.generation("greedy").get("sequences"));
        int[][] beam = TinyMt5.ints2d(TinyMt5.generation("beam4_return2").get("sequences"));
        GenerationConfig g = GenerationConfig.builder().maxNewTokens(20).build();
        GenerationConfig b = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).maxNewTokens(20)
                .numBeams(4).numReturnSequences(2).earlyStopping(true).build();
        for (int i = 0; i < inputs.length; i++) {
            List<GenerationOutput> out = tiny.generator.generate(List.of(new GenerationInput(inputs[i], g),
                    new GenerationInput(inputs[i], b)));
            assertArrayEquals(TinyGenerator.trimmed(greedy[i], 1), out.get(0).sequences().get(0).tokenIds(), "greedy " + i);
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(TinyGenerator.trimmed(beam[2 * i + j], 1), out.get(1).sequences().get(j).tokenIds(),
                        "beam " + i + "/" + j);
            }
        }
    }
}
