package dev.mt5augment.contracts.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A shipped JSON Schema run by networknt's validator, the way a producer in another language would
 * use it: parse the JSON with an ordinary parser (doubles for fractions, exact integers, last value
 * of a repeated key), then validate the tree.
 */
final class SchemaValidator {

    private static final ObjectMapper PLAIN = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Schema schema;
    private final JsonNode source;

    private SchemaValidator(String resource) {
        try (InputStream in = ContractSchemas.open(resource)) {
            this.source = PLAIN.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(source);
    }

    static SchemaValidator request() {
        return new SchemaValidator(ContractSchemas.REQUEST_V1);
    }

    static SchemaValidator result() {
        return new SchemaValidator(ContractSchemas.RESULT_V1);
    }

    JsonNode source() {
        return source;
    }

    /** The schema's complaints; one "unparsable" entry when the text is not JSON at all. */
    List<String> errors(String json) {
        JsonNode node;
        try {
            node = PLAIN.readTree(json);
        } catch (IOException | RuntimeException e) {
            return List.of("unparsable: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) return List.of("unparsable: empty");
        return schema.validate(node).stream().map(Error::toString).toList();
    }

    boolean accepts(String json) {
        return errors(json).isEmpty();
    }
}
