package dev.mt5augment.models.generation;

import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingTest {

    static TinyGenerator tiny;
    static int[] input;

    @BeforeAll
    static void load() {
        tiny = new TinyGenerator("model.safetensors");
        input = TinyMt5.unpaddedInputIds()[1];
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    static GenerationConfig.Builder sample() {
        return GenerationConfig.builder().strategy(DecodingStrategy.SAMPLE).maxNewTokens(20).minNewTokens(20)
                .temperature(1.0f).topK(50).topP(1.0f);
    }

    static List<GeneratedSequence> run(GenerationConfig c) {
        return tiny.generator.generate(List.of(new GenerationInput(input, c))).get(0).sequences();
    }

    @Test
    void sameSeedGivesSameIdsAndScores() {
        GenerationConfig c = sample().numReturnSequences(3).seed(99).build();
        List<GeneratedSequence> a = run(c);
        List<GeneratedSequence> b = run(c);
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(a.get(r).tokenIds(), b.get(r).tokenIds());
            assertEquals(a.get(r).score(), b.get(r).score());
        }
    }

    @Test
    void returnIndexesAndSeedsDrawFromDifferentStreams() {
        List<GeneratedSequence> s = run(sample().numReturnSequences(3).seed(99).build());
        assertFalse(Arrays.equals(s.get(0).tokenIds(), s.get(1).tokenIds()));
        assertFalse(Arrays.equals(s.get(1).tokenIds(), s.get(2).tokenIds()));
        assertFalse(Arrays.equals(s.get(0).tokenIds(), run(sample().seed(100).build()).get(0).tokenIds()));
        assertNotEquals(DecodingRow.streamSeed(99, 0), DecodingRow.streamSeed(99, 1));
        assertNotEquals(DecodingRow.streamSeed(99, 1), DecodingRow.streamSeed(100, 0));
    }

    @Test
    void returnSequenceRDoesNotDependOnHowManyReturnsWereAskedFor() {
        List<GeneratedSequence> three = run(sample().numReturnSequences(3).seed(5).build());
        List<GeneratedSequence> one = run(sample().numReturnSequences(1).seed(5).build());
        assertArrayEquals(three.get(0).tokenIds(), one.get(0).tokenIds());
    }

    @Test
    void topKOneAndTinyTopPBothReduceToGreedy() {
        int[] greedy = tiny.generator.generate(List.of(new GenerationInput(input,
                GenerationConfig.builder().maxNewTokens(20).build()))).get(0).sequences().get(0).tokenIds();
        int[] topK1 = run(sample().minNewTokens(0).topK(1).seed(3).build()).get(0).tokenIds();
        int[] topP = run(sample().minNewTokens(0).topK(0).topP(1e-6f).seed(3).build()).get(0).tokenIds();
        assertArrayEquals(greedy, topK1);
        assertArrayEquals(greedy, topP);
        assertEquals(0f, run(sample().minNewTokens(0).topK(1).seed(3).build()).get(0).score(), 0f,
                "a token drawn from a one-token distribution has log-probability 0");
    }

    @Test
    void minEqualsMaxGivesExactlyThatManyTokensAndScoresAreLogProbabilities() {
        for (GeneratedSequence s : run(sample().numReturnSequences(2).topK(0).topP(0.9f).temperature(0.7f).seed(11).build())) {
            assertEquals(21, s.tokenIds().length);
            assertEquals(0, s.tokenIds()[0]);
            assertTrue(s.score() <= 0f && Float.isFinite(s.score()), "score " + s.score());
            for (int t : s.tokenIds()) assertTrue(t >= 0 && t < 1408);
            for (int i = 1; i < s.tokenIds().length; i++) assertNotEquals(1, s.tokenIds()[i], "no </s> before min_new_tokens");
        }
    }
}
