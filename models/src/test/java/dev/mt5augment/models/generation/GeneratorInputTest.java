package dev.mt5augment.models.generation;

import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.runtime.ModelOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorInputTest {

    static TinyGenerator tiny;

    @BeforeAll
    static void load() {
        tiny = new TinyGenerator("model.safetensors", ModelOptions.builder().maxInputTokens(64).build());
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    @Test
    void idsOutsideTheVocabularyAreRefusedWithTheInputAndPosition() {
        GenerationConfig c = GenerationConfig.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.generator.generate(List.of(
                new GenerationInput(new int[] {5, 1}, c), new GenerationInput(new int[] {5, 1408, 1}, c))));
        assertTrue(e.getMessage().contains("input 1") && e.getMessage().contains("1408") && e.getMessage().contains("position 1"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> tiny.generator.generate(List.of(new GenerationInput(new int[] {-3, 1}, c))));
        assertThrows(IllegalArgumentException.class,
                () -> tiny.generator.generate(List.of(new GenerationInput(new int[] {Integer.MAX_VALUE}, c))));
    }

    @Test
    void inputsLongerThanTheLimitAreRefused() {
        int[] ids = new int[65];
        java.util.Arrays.fill(ids, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.generator.generate(List.of(
                new GenerationInput(ids, GenerationConfig.builder().build()))));
        assertTrue(e.getMessage().contains("65") && e.getMessage().contains("64"), e.getMessage());
        assertEquals(64, tiny.generator.maxInputTokens());
    }

    @Test
    void aBatchMixingStrategiesEqualsEachStrategyRunOnItsOwn() {
        int[][] inputs = TinyMt5.unpaddedInputIds();
        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(20).repetitionPenalty(1.3f).build();
        GenerationConfig beam = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).numBeams(4).numReturnSequences(2)
                .earlyStopping(true).maxNewTokens(20).build();
        GenerationConfig beam3 = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).numBeams(3).maxNewTokens(7).build();
        GenerationConfig sample = GenerationConfig.builder().strategy(DecodingStrategy.SAMPLE).numReturnSequences(2)
                .maxNewTokens(9).seed(4).build();
        List<GenerationInput> mixed = List.of(new GenerationInput(inputs[0], sample), new GenerationInput(inputs[1], beam),
                new GenerationInput(inputs[2], greedy), new GenerationInput(inputs[3], beam3), new GenerationInput(inputs[4], beam));
        List<GenerationOutput> together = tiny.generator.generate(mixed);
        for (int i = 0; i < mixed.size(); i++) {
            GenerationOutput alone = tiny.generator.generate(List.of(mixed.get(i))).get(0);
            assertEquals(alone.sequences().size(), together.get(i).sequences().size());
            for (int j = 0; j < alone.sequences().size(); j++) {
                assertArrayEquals(alone.sequences().get(j).tokenIds(), together.get(i).sequences().get(j).tokenIds(), "input " + i);
            }
        }
        int[][] golden = TinyMt5.ints2d(TinyMt5.generation("greedy_repetition_penalty_1.3").get("sequences"));
        assertArrayEquals(TinyGenerator.trimmed(golden[2], 1), together.get(2).sequences().get(0).tokenIds());
        assertEquals(8, together.get(3).sequences().get(0).tokenIds().length - (endsWithEos(together.get(3)) ? 1 : 0)
                <= 8 ? 8 : -1, "beam with max 7 new tokens yields at most 8 ids before </s>");
    }

    private static boolean endsWithEos(GenerationOutput o) {
        int[] t = o.sequences().get(0).tokenIds();
        return t[t.length - 1] == 1;
    }

    @Test
    void emptyBatchGivesEmptyResult() {
        assertEquals(List.of(), tiny.generator.generate(List.of()));
    }
}
