package dev.mt5augment.contracts.result;

import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.ResultCodec;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.schema.ResultSchemaCheck;
import dev.mt5augment.contracts.task.Task;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ResultCodecTest {

    private final ResultCodec codec = ResultCodec.withDefaults();

    private final AugmentResult ok = AugmentResult.ok("r-1", Task.AUGMENT,
            List.of(new TextResult("今天天气很好", List.of("今天天气不错", "天气真好")), new TextResult("b", List.of())),
            "mt5-base-zh", "worker-gpu0", new Timings(3, 40, 45));
    private final AugmentResult error = AugmentResult.error("r-2", null,
            ResultError.of(ContractError.of(ErrorCode.TEXT_TOO_LONG, "texts[1]", "texts[1] has 600 characters")),
            null, "worker-gpu0", Timings.NONE);

    @Test
    void okResultsFlattenVariantsInInputOrder() {
        assertEquals(List.of("今天天气不错", "天气真好"), ok.augmentedTexts());
        assertTrue(ok.isOk());
        assertThrows(IllegalArgumentException.class, () -> new AugmentResult("r-1", ResultStatus.OK, Task.AUGMENT,
                ok.results(), List.of("wrong"), null, null, null, Timings.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> AugmentResult.ok("bad id", Task.AUGMENT, ok.results(), null, null, Timings.NONE));
    }

    @Test
    void everyKeyIsWrittenAndTheOutputMatchesTheResultSchema() {
        String okJson = new String(codec.encode(ok), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"r-1\",\"status\":\"ok\",\"task\":\"augment\",\"results\":[{\"text\":\"今天天气很好\",\"variants\":"
                + "[\"今天天气不错\",\"天气真好\"]},{\"text\":\"b\",\"variants\":[]}],\"augmented_texts\":[\"今天天气不错\",\"天气真好\"],"
                + "\"error\":null,\"model\":\"mt5-base-zh\",\"worker\":\"worker-gpu0\",\"timings\":{\"queued_ms\":3,"
                + "\"inference_ms\":40,\"total_ms\":45},\"schema_version\":1}", okJson);
        assertEquals(List.of(), ResultSchemaCheck.errors(okJson));
        String errorJson = new String(codec.encode(error), StandardCharsets.UTF_8);
        assertTrue(errorJson.contains("\"error\":{\"code\":\"TEXT_TOO_LONG\",\"message\":\"texts[1] has 600 characters\",\"field\":\"texts[1]\"}"),
                errorJson);
        assertEquals(List.of(), ResultSchemaCheck.errors(errorJson));
        for (ErrorCode code : ErrorCode.values()) {
            AugmentResult r = AugmentResult.error("r-3", Task.TITLE, ResultError.of(code, "m"), "m", "w", Timings.NONE);
            assertEquals(List.of(), ResultSchemaCheck.errors(new String(codec.encode(r), StandardCharsets.UTF_8)), code.name());
        }
    }

    @Test
    void theSchemaRejectsInconsistentResults() {
        assertFalse(ResultSchemaCheck.errors("{\"id\":\"r\",\"status\":\"ok\",\"task\":\"augment\",\"results\":[],\"augmented_texts\":[],"
                + "\"error\":null,\"model\":null,\"worker\":null,\"timings\":{\"queued_ms\":0,\"inference_ms\":0,\"total_ms\":0},"
                + "\"schema_version\":1}").isEmpty(), "ok without results");
        assertFalse(ResultSchemaCheck.errors("{\"id\":\"r\",\"status\":\"error\",\"task\":null,\"results\":[],\"augmented_texts\":[],"
                + "\"error\":null,\"model\":null,\"worker\":null,\"timings\":{\"queued_ms\":0,\"inference_ms\":0,\"total_ms\":0},"
                + "\"schema_version\":1}").isEmpty(), "error without error");
    }

    @Test
    void decodingRoundTripsAndToleratesNewerWorkers() {
        assertEquals(new DecodeOutcome.Decoded<>(ok), codec.decode(codec.encode(ok)));
        assertEquals(new DecodeOutcome.Decoded<>(error), codec.decode(codec.encode(error)));
        String newer = "{\"id\":\"r-4\",\"status\":\"error\",\"error\":{\"code\":\"GPU_ON_FIRE\",\"message\":\"hot\"},"
                + "\"priority\":3,\"schema_version\":1}";
        var decoded = (DecodeOutcome.Decoded<AugmentResult>) codec.decode(newer.getBytes(StandardCharsets.UTF_8));
        assertEquals("GPU_ON_FIRE", decoded.value().error().code());
        assertTrue(decoded.value().error().knownCode().isEmpty());
        assertEquals(ErrorCode.TEXT_TOO_LONG, error.error().knownCode().orElseThrow());
    }

    @Test
    void badResultsAreRejectedNotThrown() {
        for (String bad : List.of("", "{", "[]", "{\"id\":\"r\"}", "{\"id\":\"r\",\"status\":\"maybe\"}",
                "{\"id\":\"r\",\"status\":\"ok\",\"task\":\"augment\",\"results\":[{\"text\":\"a\",\"variants\":[\"x\"]}],"
                        + "\"augmented_texts\":[\"y\"]}",
                "{\"id\":\"r\",\"status\":\"ok\",\"schema_version\":2}", "{\"id\":\"r\",\"status\":\"error\",\"error\":{\"code\":1}}",
                "{\"id\":\"r\",\"status\":\"error\",\"error\":{\"code\":\"X\",\"message\":\"m\"},\"timings\":{\"queued_ms\":-1}}",
                "[".repeat(100_000))) {
            var outcome = codec.decode(bad.getBytes(StandardCharsets.UTF_8));
            assertInstanceOf(DecodeOutcome.Rejected.class, outcome, bad.length() > 200 ? bad.substring(0, 200) : bad);
        }
        var rejected = (DecodeOutcome.Rejected<AugmentResult>) codec.decode("{\"id\":\"r-9\",\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("r-9", rejected.idIfReadable());
        assertEquals(ErrorCode.RECORD_TOO_LARGE, ((DecodeOutcome.Rejected<AugmentResult>) ResultCodec.withMaxResultBytes(100)
                .decode(new byte[101])).error().code());
    }

    @Test
    void unpairedSurrogatesNeverReachTheWire() {
        AugmentResult odd = AugmentResult.ok("r-5", Task.CUSTOM, List.of(new TextResult("a", List.of("x\uD800y"))), null, null, Timings.NONE);
        String json = new String(codec.encode(odd), StandardCharsets.UTF_8);
        assertTrue(json.contains("x\uFFFDy"), json);
    }
}
