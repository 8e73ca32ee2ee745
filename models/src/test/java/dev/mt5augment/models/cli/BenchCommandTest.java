package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.generation.DecodingStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void printsThroughputGemmRatioRssAndPerStepOps() throws Exception {
        CliRun run = CliRun.of("bench", CliRun.fixture().toString(), "--batch", "3", "--returns", "2", "--new-tokens", "4",
                "--threads", "1", "--input-tokens", "5-9");
        assertEquals(0, run.status(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(24, r.get("generated_tokens").asLong(), "3 inputs x 2 returns x 4 tokens, min = max");
        assertEquals(6, r.get("sequences").asInt());
        assertEquals(4, r.get("decoder_steps").asInt());
        for (String f : new String[] {"tokens_per_second", "sequences_per_second", "gemm_gflops", "achieved_matrix_gflops",
                "gemm_ratio", "load_seconds", "matrix_product_seconds"}) {
            assertTrue(r.get(f).asDouble() > 0, f + " in " + r);
        }
        assertTrue(r.get("peak_rss_bytes").asLong() > 0);
        assertTrue(r.get("per_decoder_step").get("engine_ops").asLong() > 20, r.toString());
        assertEquals(1, r.get("threads").asInt());
    }

    @Test
    void noProfileIsAFlagThatTakesNoValue() throws Exception {
        CliRun run = CliRun.of("bench", "--no-profile", CliRun.fixture().toString(), "--batch", "1", "--returns", "1",
                "--new-tokens", "2", "--threads", "1", "--input-tokens", "4-4");
        assertEquals(0, run.status(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertTrue(r.get("per_decoder_step") == null, "no profile was taken");
        assertEquals("copy", r.get("weights").asText());
    }

    @Test
    void badRangeIsAUsageError() {
        CliRun run = CliRun.of("bench", CliRun.fixture().toString(), "--input-tokens", "9-5");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("MIN-MAX"), run.err());
    }

    @Test
    void flopModelCountsTheLmHeadPerRowAndStep() {
        Mt5Config c = TinyMt5.config();
        double one = BenchCommand.matrixFlops(c, List.of(new int[5]), 1, 1, DecodingStrategy.SAMPLE);
        double two = BenchCommand.matrixFlops(c, List.of(new int[5]), 2, 1, DecodingStrategy.SAMPLE);
        assertTrue(two - one > 2.0 * c.dModel() * c.vocabSize(), "a second row adds at least its LM head");
    }
}
