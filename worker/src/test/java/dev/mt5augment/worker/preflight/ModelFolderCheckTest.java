package dev.mt5augment.worker.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.worker.loop.ModelLocation;
import dev.mt5augment.worker.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model folder check on the real tiny checkpoint and on broken copies of it (in a temp folder). */
class ModelFolderCheckTest {

    private static List<Finding> check(Path dir) {
        return ModelFolderCheck.run(new ModelLocation(dir, false)).findings();
    }

    /** Copies the named fixture files into {@code dir}. */
    private static Path copy(Path dir, String... names) throws IOException {
        for (String n : names) Files.copy(Fixtures.tinyMt5().resolve(n), dir.resolve(n));
        return dir;
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }

    @Test
    void theCompleteFixtureFolderPasses() {
        ModelFolderCheck.Result r = ModelFolderCheck.run(new ModelLocation(Fixtures.tinyMt5(), true));
        Finding f = only(r.findings());
        assertEquals(Finding.Severity.OK, f.severity(), f.line());
        assertTrue(f.message().contains("model.safetensors") && f.message().contains("tokenizer.json"), f.message());
        assertTrue(f.message().contains("TINY RANDOM TEST MODEL"), "the fixture is named as such: " + f.message());
        assertNotNull(r.config());
    }

    @Test
    void aMissingFolderIsOneLine(@TempDir Path tmp) {
        Finding f = only(check(tmp.resolve("no-such-model")));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("no-such-model") && f.message().contains("does not exist"), f.message());
    }

    @Test
    void aFolderWithoutConfigFails(@TempDir Path tmp) throws IOException {
        ModelFolderCheck.Result r = ModelFolderCheck.run(new ModelLocation(copy(tmp, "model.safetensors", "tokenizer.json"), false));
        Finding f = only(r.findings());
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().startsWith("config:") && f.message().contains("config.json"), f.message());
        assertNull(r.config());
    }

    @Test
    void aFolderWithoutWeightsFails(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("model.onnx"), "not for this engine");
        Finding f = only(check(copy(tmp, "config.json", "tokenizer.json")));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().startsWith("weights:") && f.message().contains("model.safetensors")
                && f.message().contains("model.onnx"), f.message());
    }

    @Test
    void aFolderWithoutTokenizerFails(@TempDir Path tmp) throws IOException {
        Finding f = only(check(copy(tmp, "config.json", "model.safetensors")));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().startsWith("tokenizer:") && f.message().contains("spiece.model"), f.message());
    }

    @Test
    void spieceModelAndPytorchBinAreEnough(@TempDir Path tmp) throws IOException {
        Finding f = only(check(copy(tmp, "config.json", "pytorch_model.bin", "spiece.model")));
        assertEquals(Finding.Severity.OK, f.severity(), f.line());
        assertTrue(f.message().contains("pytorch_model.bin") && f.message().contains("spiece.model"), f.message());
    }

    @Test
    void aTruncatedWeightFileFails(@TempDir Path tmp) throws IOException {
        copy(tmp, "config.json", "tokenizer.json");
        byte[] weights = Files.readAllBytes(Fixtures.tinyMt5().resolve("model.safetensors"));
        Files.write(tmp.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        Finding f = only(check(tmp));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().startsWith("weights:") && f.message().contains("model.safetensors"), f.message());
    }

    @Test
    void weightsOfAnotherShapeFail(@TempDir Path tmp) throws IOException {
        copy(tmp, "model.safetensors", "tokenizer.json");
        String config = Files.readString(Fixtures.tinyMt5().resolve("config.json"));
        Files.writeString(tmp.resolve("config.json"), config.replaceFirst("\"d_ff\":\\s*\\d+", "\"d_ff\": 256"));
        Finding f = only(check(tmp));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().startsWith("weights:") && f.message().contains("do not fit the config"), f.message());
    }

    @Test
    void aHugeListingIsCutToOneReadableLine(@TempDir Path tmp) throws IOException {
        for (int i = 0; i < 300; i++) Files.writeString(tmp.resolve("junk-file-number-" + i + ".txt"), "x");
        for (Finding f : check(tmp)) {
            assertTrue(f.line().length() < Finding.MAX_MESSAGE + 40, f.line());
            assertTrue(!f.line().contains("\n"));
        }
    }
}
