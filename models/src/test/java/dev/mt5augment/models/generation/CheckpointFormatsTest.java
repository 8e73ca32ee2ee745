package dev.mt5augment.models.generation;

import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** pytorch_model.bin and fp16 weights (computed in float32) give the ids transformers gives. */
class CheckpointFormatsTest {

    static final GenerationConfig GREEDY = GenerationConfig.builder().maxNewTokens(20).build();
    static final GenerationConfig BEAM = GenerationConfig.builder().strategy(DecodingStrategy.BEAM).maxNewTokens(20)
            .numBeams(4).numReturnSequences(2).earlyStopping(true).build();

    @Test
    void pytorchBinGivesTheGoldenGreedyAndBeamIds() {
        try (TinyGenerator tiny = new TinyGenerator("pytorch_model.bin")) {
            assertGolden(tiny.generator.generate(TinyGenerator.goldenBatch(GREEDY)), "greedy", 1);
            assertGolden(tiny.generator.generate(TinyGenerator.goldenBatch(BEAM)), "beam4_return2", 2);
        }
    }

    @Test
    void fp16WeightsGiveTheirGoldenGreedyIds() {
        int[][] expected = TinyMt5.ints2d(TinyMt5.golden().get("fp16_weights").get("greedy_sequences"));
        try (TinyGenerator tiny = new TinyGenerator("model.fp16.safetensors")) {
            List<GenerationOutput> out = tiny.generator.generate(TinyGenerator.goldenBatch(GREEDY));
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(TinyGenerator.trimmed(expected[i], 1), out.get(i).sequences().get(0).tokenIds(), "input " + i);
            }
        }
    }

    private static void assertGolden(List<GenerationOutput> outputs, String run, int perInput) {
        int[][] expected = TinyMt5.ints2d(TinyMt5.generation(run).get("sequences"));
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = 0; j < perInput; j++) {
                assertArrayEquals(TinyGenerator.trimmed(expected[i * perInput + j], 1),
                        outputs.get(i).sequences().get(j).tokenIds(), run + " input " + i + "/" + j);
            }
        }
    }
}
