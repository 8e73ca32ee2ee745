package dev.mt5augment.models.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.config.ModelShape;
import dev.mt5augment.models.config.Mt5Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomCommandTest {

    @Test
    void writesALoadableTinyCheckpointWithT5Scales(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tiny");
        CliRun run = CliRun.of("random", out.toString(), "--shape", "tiny", "--seed", "3");
        assertEquals(0, run.status(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(377_856, r.get("parameters").asLong());
        Mt5Config config = Mt5Config.load(out);
        assertEquals(ModelShape.TINY.config(), config);
        assertArrayEquals(Files.readAllBytes(CliRun.fixture().resolve("tokenizer.json")), Files.readAllBytes(out.resolve("tokenizer.json")));
        assertTrue(Files.exists(out.resolve("spiece.model")));
        assertEquals(0, new ObjectMapper().readTree(out.resolve("generation_config.json").toFile()).get("decoder_start_token_id").asInt());
        try (MappedCheckpoint c = Checkpoints.open(out); NDManager m = NDManager.newBaseManager()) {
            CheckpointValidator.validate(c, config);
            assertStd(c.loadFloat32("shared.weight", m).toFloatArray(), 1.0);
            assertStd(c.loadFloat32("lm_head.weight", m).toFloatArray(), 1.0);
            assertStd(c.loadFloat32("encoder.block.0.layer.1.DenseReluDense.wo.weight", m).toFloatArray(), Math.pow(128, -0.5));
            assertStd(c.loadFloat32("decoder.block.1.layer.1.EncDecAttention.q.weight", m).toFloatArray(), Math.pow(64 * 16, -0.5));
            float[] norm = c.loadFloat32("decoder.final_layer_norm.weight", m).toFloatArray();
            for (float v : norm) assertEquals(1f, v);
        }
    }

    @Test
    void theSeedDecidesTheWeights(@TempDir Path tmp) throws Exception {
        for (String[] a : new String[][] {{"a", "5"}, {"b", "5"}, {"c", "6"}}) {
            assertEquals(0, CliRun.of("random", tmp.resolve(a[0]).toString(), "--shape", "tiny", "--seed", a[1]).status());
        }
        byte[] a = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b/model.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(tmp.resolve("c/model.safetensors"))));
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path tmp) {
        CliRun noShape = CliRun.of("random", tmp.toString());
        assertEquals(2, noShape.status());
        assertTrue(noShape.err().contains("--shape"), noShape.err());
        CliRun unknown = CliRun.of("random", tmp.toString(), "--shape", "mt5-xxl");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("mt5-base, tiny"), unknown.err());
        assertEquals(2, CliRun.of("random", tmp.toString(), "--shape", "tiny", "--seed", "x").status());
    }

    private static void assertStd(float[] values, double expected) {
        double sum = 0, sq = 0;
        for (float v : values) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / values.length;
        double std = Math.sqrt(sq / values.length - mean * mean);
        assertEquals(0, mean, 4 * expected / Math.sqrt(values.length), "mean");
        assertEquals(expected, std, 0.05 * expected, "std");
    }
}
