package dev.mt5augment.models.generation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every golden generate() run of transformers 4.26.1, ids identical, beam scores within 1e-4. */
class GenerationParityTest {

    static final int EOS = 1;
    static TinyGenerator tiny;

    @BeforeAll
    static void load() {
        tiny = new TinyGenerator("model.safetensors");
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    static GenerationConfig.Builder greedy() {
        return GenerationConfig.builder().strategy(DecodingStrategy.GREEDY).maxNewTokens(20);
    }

    static void assertSequences(String run, List<GenerationOutput> outputs, int perInput) {
        int[][] expected = TinyMt5.ints2d(TinyMt5.generation(run).get("sequences"));
        assertEquals(expected.length, outputs.size() * perInput);
        for (int i = 0; i < outputs.size(); i++) {
            assertEquals(perInput, outputs.get(i).sequences().size());
            for (int j = 0; j < perInput; j++) {
                assertArrayEquals(TinyGenerator.trimmed(expected[i * perInput + j], EOS),
                        outputs.get(i).sequences().get(j).tokenIds(), run + ": input " + i + " sequence " + j);
            }
        }
    }

    @Test
    void greedyMatches() {
        assertSequences("greedy", tiny.generator.generate(TinyGenerator.goldenBatch(greedy().build())), 1);
    }

    @Test
    void greedyWithMinNewTokensMatches() {
        assertSequences("greedy_min_new_tokens",
                tiny.generator.generate(TinyGenerator.goldenBatch(greedy().minNewTokens(8).build())), 1);
    }

    @Test
    void greedyWithNoRepeatNgramMatches() {
        assertSequences("greedy_no_repeat_ngram_3",
                tiny.generator.generate(TinyGenerator.goldenBatch(greedy().noRepeatNgramSize(3).build())), 1);
    }

    @Test
    void greedyWithRepetitionPenaltyMatches() {
        assertSequences("greedy_repetition_penalty_1.3",
                tiny.generator.generate(TinyGenerator.goldenBatch(greedy().repetitionPenalty(1.3f).build())), 1);
    }

    @Test
    void beamSearchMatchesIdsAndScores() {
        GenerationConfig beam = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).maxNewTokens(20)
                .numBeams(4).numReturnSequences(2).lengthPenalty(1.0f).earlyStopping(true).build();
        List<GenerationOutput> outputs = tiny.generator.generate(TinyGenerator.goldenBatch(beam));
        assertSequences("beam4_return2", outputs, 2);
        JsonNode scores = TinyMt5.generation("beam4_return2").get("sequences_scores");
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = 0; j < 2; j++) {
                double expected = scores.get(i * 2 + j).asDouble();
                assertEquals(expected, outputs.get(i).sequences().get(j).score(), 1e-4, "score of input " + i + " beam " + j);
            }
        }
    }
}
