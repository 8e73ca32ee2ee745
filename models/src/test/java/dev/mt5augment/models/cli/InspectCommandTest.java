package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void describesTheFixtureAsJson() throws Exception {
        CliRun run = CliRun.of("inspect", CliRun.fixture().toString(), "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(1408, r.at("/config/vocab_size").asInt());
        assertEquals("gated-gelu_new", r.at("/config/feed_forward").asText());
        assertEquals("safetensors", r.at("/weights/format").asText());
        assertEquals(52, r.at("/weights/tensors").asInt());
        assertEquals(377_856, r.at("/weights/parameters").asLong());
        assertEquals(52, r.at("/weights/dtypes/F32/tensors").asInt());
        assertEquals(1_517_208, r.at("/weights/bytes").asLong());
        assertTrue(r.at("/weights/fits_config").asBoolean());
        assertEquals("tokenizer.json", r.at("/tokenizer/source").asText());
        assertEquals("[\"tokenizer.json\",\"spiece.model\"]", r.at("/tokenizer/files").toString());
        long total = 0;
        for (JsonNode f : r.get("files")) {
            total += f.get("bytes").asLong();
            if (f.get("name").asText().equals("pytorch_model.bin")) assertEquals("weights (not read)", f.get("role").asText());
            if (f.get("name").asText().equals("model.safetensors")) assertEquals("weights (read)", f.get("role").asText());
        }
        assertEquals(total, r.get("total_bytes").asLong());
    }

    @Test
    void loadTouchesEveryWeightAndReportsMemory() throws Exception {
        CliRun run = CliRun.of("inspect", CliRun.fixture().toString(), "--load", "--json");
        assertEquals(0, run.status(), run.err());
        JsonNode load = JSON.readTree(run.out()).get("load");
        assertEquals(52, load.get("tensors").asInt());
        // The checksum is the sum of every weight: recompute it from the raw file.
        byte[] all = Files.readAllBytes(CliRun.fixture().resolve("model.safetensors"));
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int dataStart = 8 + (int) b.getLong(0);
        double sum = 0;
        for (int p = dataStart; p < all.length; p += 4) sum += b.getFloat(p);
        assertEquals(sum, load.get("checksum").asDouble(), 1e-2);
        assertTrue(load.get("peak_rss_bytes").asLong() > 0);
        assertTrue(load.get("seconds").asDouble() >= 0);
    }

    @Test
    void textOutputAndProblemsAreReported(@TempDir Path tmp) throws Exception {
        CliRun text = CliRun.of("inspect", CliRun.fixture().toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("parameters  377,856"), text.out());
        assertTrue(text.out().contains("fits config yes"), text.out());

        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bart\"}");
        Files.copy(CliRun.fixture().resolve("spiece.model"), tmp.resolve("spiece.model"));
        CliRun broken = CliRun.of("inspect", tmp.toString(), "--json");
        assertEquals(1, broken.status());
        JsonNode r = JSON.readTree(broken.out());
        assertTrue(r.at("/config/error").asText().contains("model_type 'bart'"));
        assertTrue(r.at("/weights/error").asText().contains("no weights found"));
        assertTrue(r.at("/tokenizer/source").asText().startsWith("spiece.model"));

        CliRun missing = CliRun.of("inspect");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("missing argument DIR"), missing.err());
        assertEquals(2, CliRun.of("inspect", tmp.toString(), "--bogus").status());
    }

    @Test
    void reportsWeightsThatDoNotFitTheConfig(@TempDir Path tmp) throws Exception {
        JsonNode config = JSON.readTree(CliRun.fixture().resolve("config.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) config).put("d_ff", 256);
        JSON.writeValue(tmp.resolve("config.json").toFile(), config);
        Files.copy(CliRun.fixture().resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        CliRun run = CliRun.of("inspect", tmp.toString(), "--json", "--load");
        assertEquals(1, run.status());
        JsonNode r = JSON.readTree(run.out());
        assertEquals(false, r.at("/weights/fits_config").asBoolean());
        assertTrue(r.at("/weights/error").asText().contains("DenseReluDense.wi_0.weight"), r.toString());
        assertTrue(r.get("load") == null, "no load of a checkpoint that does not fit");
    }
}
