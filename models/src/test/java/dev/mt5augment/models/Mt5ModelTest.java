package dev.mt5augment.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.tokenizer.ChineseSpacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mt5ModelTest {

    @Test
    void textToIdsToGenerationToTextMatchesTransformers() {
        JsonNode golden = TinyMt5.golden();
        try (Mt5Model model = Mt5Model.load(TinyMt5.dir(), ModelOptions.defaults())) {
            assertEquals("tiny-mt5", model.name());
            assertEquals(1408, model.config().vocabSize());
            assertTrue(model.loadTime().toNanos() > 0);
            int[][] ids = TinyMt5.unpaddedInputIds();
            List<GenerationInput> batch = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                int[] encoded = model.tokenizer().encode(golden.get("sentences").get(i).asText());
                assertArrayEquals(ids[i], encoded, "tokenizer ids of sentence " + i);
                batch.add(new GenerationInput(encoded, GenerationConfig.builder().maxNewTokens(20).build()));
            }
            List<GenerationOutput> out = model.generator().generate(batch);
            JsonNode greedy = TinyMt5.generation("greedy");
            for (int i = 0; i < ids.length; i++) {
                // golden.json decodes like SentencePiece; the tokenizer also removes the spaces between
                // Chinese words, as ModelScope's pipeline does.
                assertEquals(ChineseSpacing.removeSpacesBetweenChineseWords(greedy.get("decoded").get(i).asText()),
                        model.tokenizer().decode(out.get(i).sequences().get(0).tokenIds()));
            }
        }
    }

    @Test
    void aFolderWithoutTokenizerStillGeneratesFromIds(@TempDir Path tmp) throws Exception {
        Files.copy(TinyMt5.dir().resolve("config.json"), tmp.resolve("config.json"));
        Files.copy(TinyMt5.dir().resolve("pytorch_model.bin"), tmp.resolve("pytorch_model.bin"));
        try (Mt5Model model = Mt5Model.load(tmp, ModelOptions.defaults())) {
            assertFalse(model.hasTokenizer());
            IllegalStateException e = assertThrows(IllegalStateException.class, model::tokenizer);
            assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
            GenerationOutput out = model.generator().generate(List.of(new GenerationInput(TinyMt5.unpaddedInputIds()[3],
                    GenerationConfig.builder().maxNewTokens(20).build()))).get(0);
            assertArrayEquals(new int[] {0, 1158, 1311, 208, 1365, 724, 1}, out.sequences().get(0).tokenIds());
        }
    }

    @Test
    void missingGpuAndMissingWeightsAreClearErrors(@TempDir Path tmp) throws Exception {
        IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class,
                () -> Mt5Model.load(TinyMt5.dir(), ModelOptions.builder().device("cuda:7").build()));
        assertTrue(gpu.getMessage().contains("cuda:7"), gpu.getMessage());
        Files.copy(TinyMt5.dir().resolve("config.json"), tmp.resolve("config.json"));
        RuntimeException none = assertThrows(RuntimeException.class, () -> Mt5Model.load(tmp, ModelOptions.defaults()));
        assertTrue(none.getMessage().contains("no weights"), none.getMessage());
    }
}
