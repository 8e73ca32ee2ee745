package dev.mt5augment.contracts.schema;

import java.util.List;

/** The result schema, for tests in other packages. */
public final class ResultSchemaCheck {

    private static final SchemaValidator RESULT = SchemaValidator.result();

    private ResultSchemaCheck() {
    }

    public static List<String> errors(String json) {
        return RESULT.errors(json);
    }
}
