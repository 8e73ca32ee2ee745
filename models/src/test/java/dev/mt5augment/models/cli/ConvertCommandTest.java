package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.models.tokenizer.HuggingFaceTextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rewritesTheFixtureByteForByteInBothPrecisions(@TempDir Path tmp) throws Exception {
        Path fixture = CliRun.fixture();
        CliRun fp32 = CliRun.of("convert", fixture.toString(), tmp.resolve("fp32").toString());
        assertEquals(0, fp32.status(), fp32.err());
        assertArrayEquals(Files.readAllBytes(fixture.resolve("model.safetensors")),
                Files.readAllBytes(tmp.resolve("fp32/model.safetensors")));
        JsonNode r = JSON.readTree(fp32.out());
        assertEquals(52, r.get("tensors").asInt());
        assertEquals("copied", r.get("tokenizer_json").asText());
        for (String f : List.of("config.json", "generation_config.json", "tokenizer.json", "spiece.model")) {
            assertArrayEquals(Files.readAllBytes(fixture.resolve(f)), Files.readAllBytes(tmp.resolve("fp32").resolve(f)), f);
        }

        CliRun fp16 = CliRun.of("convert", fixture.toString(), tmp.resolve("fp16").toString(), "--dtype", "fp16");
        assertEquals(0, fp16.status(), fp16.err());
        // The fixture's fp16 file was rounded by torch: our Java rounding gives the very same bytes.
        assertArrayEquals(Files.readAllBytes(fixture.resolve("model.fp16.safetensors")),
                Files.readAllBytes(tmp.resolve("fp16/model.safetensors")));
    }

    @Test
    void convertsAPytorchBinAndDropsTiedAliases(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("bin-only"));
        Files.copy(CliRun.fixture().resolve("config.json"), src.resolve("config.json"));
        Files.copy(CliRun.fixture().resolve("pytorch_model.bin"), src.resolve("pytorch_model.bin"));
        Files.copy(CliRun.fixture().resolve("spiece.model"), src.resolve("spiece.model"));
        CliRun run = CliRun.of("convert", src.toString(), tmp.resolve("out").toString());
        assertEquals(0, run.status(), run.err());
        assertArrayEquals(Files.readAllBytes(CliRun.fixture().resolve("model.safetensors")),
                Files.readAllBytes(tmp.resolve("out/model.safetensors")));
        assertTrue(Files.exists(tmp.resolve("out/spiece.model")));
        assertEquals("converted from spiece.model", JSON.readTree(run.out()).get("tokenizer_json").asText());
        // The converted tokenizer.json encodes exactly as the fixture's own.
        try (HuggingFaceTextTokenizer converted = Tokenizers.load(tmp.resolve("out/tokenizer.json"));
             HuggingFaceTextTokenizer reference = Tokenizers.load(CliRun.fixture().resolve("tokenizer.json"))) {
            for (String text : List.of("数据增强：生成多个改写。", "Hello, mT5! ＡＢＣ１２３", "")) {
                assertArrayEquals(reference.encode(text), converted.encode(text), text);
            }
        }
    }

    @Test
    void fp16InFp32Out(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        for (String f : List.of("config.json", "model.fp16.safetensors", "tokenizer.json")) {
            Files.copy(CliRun.fixture().resolve(f), src.resolve(f.equals("model.fp16.safetensors") ? "model.safetensors" : f));
        }
        CliRun run = CliRun.of("convert", src.toString(), tmp.resolve("out").toString());
        assertEquals(0, run.status(), run.err());
        // fp16 in, fp32 out: the widened fp16 values.
        assertEquals("F32", JSON.readTree(run.out()).get("dtype").asText());
    }

    @Test
    void refusesBadArgumentsAndBrokenSources(@TempDir Path tmp) throws Exception {
        Path fixture = CliRun.fixture();
        assertEquals(2, CliRun.of("convert", fixture.toString(), tmp.toString(), "--dtype", "bf16").status());
        assertEquals(2, CliRun.of("convert", fixture.toString()).status());
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        Files.copy(fixture.resolve("config.json"), copy.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), copy.resolve("model.safetensors"));
        CliRun inPlace = CliRun.of("convert", copy.toString(), copy.toString());
        assertEquals(2, inPlace.status());
        assertTrue(inPlace.err().contains("OUT must differ from DIR"), inPlace.err());

        Files.write(copy.resolve("model.safetensors"), new byte[] {1, 2, 3});
        CliRun corrupt = CliRun.of("convert", copy.toString(), tmp.resolve("out").toString());
        assertEquals(1, corrupt.status());
        assertTrue(corrupt.err().contains(copy.resolve("model.safetensors").toString()), corrupt.err());
        assertFalse(Files.exists(tmp.resolve("out/model.safetensors")));
    }
}
