package dev.mt5augment.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.HostileCase;
import dev.mt5augment.contracts.codec.HostileCorpus;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.codec.RequestEncoder;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.IntRange;
import dev.mt5augment.contracts.request.NumberRange;
import dev.mt5augment.contracts.request.RequestField;
import dev.mt5augment.contracts.request.RequestLimits;
import dev.mt5augment.contracts.task.Task;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The request schema and the codec accept and reject the same inputs of the hostile corpus. Where
 * they cannot agree by design (see {@link HostileCase.Divergence} and the README), the test checks
 * that they differ exactly in the documented direction, so the documentation stays true.
 */
class SchemaAgreementTest {

    private static final SchemaValidator SCHEMA = SchemaValidator.request();
    private static final RequestDecoder DECODER = RequestDecoder.withDefaults();
    private static final RequestDecoder LARGE_DECODER = RequestDecoder.builder().maxRecordBytes(16 << 20).build();

    @TestFactory
    Stream<DynamicTest> schemaAndCodecGiveTheSameVerdict() {
        return HostileCorpus.all().stream()
                .filter(c -> c.divergence() != HostileCase.Divergence.BYTES)
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c)));
    }

    private static void compare(HostileCase c) {
        RequestDecoder decoder = c.maxRecordBytes() > DECODER.maxRecordBytes() ? LARGE_DECODER : DECODER;
        boolean codecAccepts = decoder.decode(c.value(), c.key()) instanceof DecodeOutcome.Decoded;
        List<String> schemaErrors = SCHEMA.errors(c.text());
        boolean schemaAccepts = schemaErrors.isEmpty();
        switch (c.divergence()) {
            case NONE -> assertEquals(codecAccepts, schemaAccepts,
                    "codec " + (codecAccepts ? "accepts" : "rejects") + ", schema says " + schemaErrors);
            case TRIMMED_FITS -> {
                assertTrue(codecAccepts, "the codec trims and accepts");
                assertFalse(schemaAccepts, "the schema counts before trimming and rejects");
            }
            default -> {
                assertTrue(c.divergence().schemaAcceptsCodecRejects());
                assertFalse(codecAccepts, "the codec rejects");
                assertTrue(schemaAccepts, "documented: the schema cannot see this (" + c.divergence() + "), but it said " + schemaErrors);
            }
        }
    }

    @Test
    void theCorpusExercisesEveryDocumentedDivergence() {
        var seen = HostileCorpus.all().stream().map(HostileCase::divergence).distinct().toList();
        for (HostileCase.Divergence d : HostileCase.Divergence.values()) assertTrue(seen.contains(d), "no case for " + d);
    }

    @Test
    void everyNormalisedRequestIsValidUnderTheSchema() {
        for (HostileCase c : HostileCorpus.all()) {
            if (!c.valid() || c.maxRecordBytes() != DECODER.maxRecordBytes()) continue;
            var outcome = DECODER.decode(c.value(), c.key());
            AugmentRequest r = ((DecodeOutcome.Decoded<AugmentRequest>) outcome).value();
            String json = RequestEncoder.encodeToString(r);
            assertEquals(List.of(), SCHEMA.errors(json), c.name() + ": " + json);
        }
    }

    @Test
    void theSchemaStatesTheSameLimitsAsTheCode() {
        JsonNode props = SCHEMA.source().get("properties");
        for (RequestField f : RequestField.values()) {
            assertTrue(props.has(f.wireName()), "schema lacks " + f.wireName());
            RequestLimits.intRange(f).ifPresent(r -> assertIntRange(props.get(f.wireName()), r));
        }
        assertEquals(RequestField.values().length, props.size(), "schema has fields the code does not know");
        for (NumberRange r : List.of(RequestLimits.TEMPERATURE, RequestLimits.TOP_P, RequestLimits.REPETITION_PENALTY)) {
            JsonNode p = props.get(r.field().wireName());
            assertEquals(r.exclusiveMin(), p.get("exclusiveMinimum").asDouble(), r.field().wireName());
            assertEquals(r.inclusiveMax(), p.get("maximum").asDouble(), r.field().wireName());
        }
        assertEquals(RequestLimits.MAX_TEXTS, props.get("texts").get("maxItems").asInt());
        assertEquals(RequestLimits.MAX_TEXT_CODE_POINTS, props.get("texts").get("items").get("maxLength").asInt());
        assertEquals(RequestLimits.MAX_TEXT_CODE_POINTS, props.get("text").get("maxLength").asInt());
        assertEquals(RequestLimits.MAX_LABELS, props.get("labels").get("maxItems").asInt());
        assertEquals(RequestLimits.MAX_LABEL_CODE_POINTS, props.get("labels").get("items").get("maxLength").asInt());
        assertEquals(RequestLimits.ID_PATTERN, props.get("id").get("pattern").asText());
        List<String> tasks = new ArrayList<>();
        props.get("task").get("enum").forEach(n -> { if (!n.isNull()) tasks.add(n.asText()); });
        assertEquals(Arrays.stream(Task.values()).map(Task::wireName).toList(), tasks);
        List<String> codes = new ArrayList<>();
        SchemaValidator.result().source().get("properties").get("error").get("properties").get("code").get("enum")
                .forEach(n -> codes.add(n.asText()));
        assertEquals(Arrays.stream(ErrorCode.values()).map(Enum::name).toList(), codes);
    }

    private static void assertIntRange(JsonNode p, IntRange r) {
        assertEquals(r.min(), p.get("minimum").asLong(), r.field().wireName());
        assertEquals(r.max(), p.get("maximum").asLong(), r.field().wireName());
    }
}
