package dev.mt5augment.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.contracts.codec.DecodeOutcome;
import dev.mt5augment.contracts.codec.RequestArbitraries;
import dev.mt5augment.contracts.codec.RequestDecoder;
import dev.mt5augment.contracts.codec.RequestEncoder;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.Decoding;
import dev.mt5augment.contracts.request.RequestDefaults;
import dev.mt5augment.contracts.request.RequestLimits;
import dev.mt5augment.contracts.task.Task;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random request objects, mostly valid, some with boundary or wrong values: the schema and the
 * codec give the same verdict, except for inputs with a documented divergence, which are counted
 * and left out.
 */
class SchemaAgreementFuzzTest {

    private static final SchemaValidator SCHEMA = SchemaValidator.request();
    private static final RequestDecoder DECODER = RequestDecoder.withDefaults();
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Property(tries = 1000)
    void randomObjectsGetTheSameVerdict(@ForAll("requestObjects") String json) throws IOException {
        // A valid record key, so that a payload without id is valid for both (the schema cannot see keys).
        boolean codecAccepts = DECODER.decode(json.getBytes(StandardCharsets.UTF_8), "k-1") instanceof DecodeOutcome.Decoded;
        List<String> schemaErrors = SCHEMA.errors(json);
        Optional<String> divergence = documentedDivergence(PLAIN.readTree(json));
        if (divergence.isPresent()) {
            Statistics.collect("skipped: " + divergence.get());
            return;
        }
        Statistics.collect(codecAccepts ? "both accept" : "both reject");
        assertEquals(codecAccepts, schemaErrors.isEmpty(), () -> json + "\nschema: " + schemaErrors);
        Statistics.coverage(c -> {
            c.check("both accept").percentage(p -> p >= 5.0);
            c.check("both reject").percentage(p -> p >= 20.0);
        });
    }

    @Property(tries = 300)
    void everyValidRequestPassesTheSchema(@ForAll("validRequests") AugmentRequest request) {
        String json = RequestEncoder.encodeToString(request);
        assertEquals(List.of(), SCHEMA.errors(json), json);
    }

    /** Which documented divergence the object has, if any (see the README). */
    private static Optional<String> documentedDivergence(JsonNode o) {
        for (String field : List.of("text", "texts", "labels")) {
            for (String s : strings(o.get(field))) {
                if (!s.isEmpty() && s.strip().isEmpty()) return Optional.of("blank after trimming");
                if (s.codePointCount(0, s.length()) != s.strip().codePointCount(0, s.strip().length())
                        && s.codePointCount(0, s.length()) > RequestLimits.MAX_TEXT_CODE_POINTS) return Optional.of("fits after trimming");
                for (int i = 0; i < s.length(); i++) {
                    if (Character.isSurrogate(s.charAt(i)) && !(Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(++i)))) return Optional.of("unpaired surrogate");
                }
            }
        }
        // Cross-field comparisons, on the values the codec would use.
        Optional<Task> task = absent(o, "task") ? Optional.of(RequestDefaults.TASK)
                : o.get("task").isTextual() ? Task.fromWireName(o.get("task").textValue()) : Optional.empty();
        if (task.isEmpty()) return Optional.empty();
        Optional<Decoding> decoding = absent(o, "decoding") ? Optional.of(RequestDefaults.decoding(task.get()))
                : o.get("decoding").isTextual() ? Decoding.fromWireName(o.get("decoding").textValue()) : Optional.empty();
        if (decoding.isEmpty()) return Optional.empty();
        Long nrs = integer(o, "num_return_sequences", RequestDefaults.numReturnSequences(decoding.get()));
        if (nrs == null) return Optional.empty();
        Long beams = integer(o, "num_beams", RequestDefaults.numBeams(decoding.get(), nrs.intValue()));
        Long max = integer(o, "max_length", RequestDefaults.MAX_LENGTH);
        Long min = integer(o, "min_length", RequestDefaults.MIN_LENGTH);
        if (decoding.get() == Decoding.BEAM && beams != null && beams < nrs) return Optional.of("num_beams < num_return_sequences");
        if (max != null && min != null && min > max) return Optional.of("min_length > max_length");
        return Optional.empty();
    }

    private static boolean absent(JsonNode o, String field) {
        return !o.has(field) || o.get(field).isNull();
    }

    /** The integer value, the default when absent, or null when it is not an integer. */
    private static Long integer(JsonNode o, String field, long fallback) {
        if (absent(o, field)) return fallback;
        JsonNode v = o.get(field);
        return v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToLong() ? v.asLong() : null;
    }

    private static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isTextual()) out.add(v.textValue());
        if (v.isArray()) v.forEach(item -> { if (item.isTextual()) out.add(item.textValue()); });
        return out;
    }

    @Provide
    Arbitrary<String> requestObjects() {
        return RequestArbitraries.requestObjects();
    }

    @Provide
    Arbitrary<AugmentRequest> validRequests() {
        return RequestArbitraries.validRequests();
    }
}
