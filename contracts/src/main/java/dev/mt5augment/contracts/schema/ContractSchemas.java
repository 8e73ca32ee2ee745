package dev.mt5augment.contracts.schema;

import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The JSON Schemas (draft 2020-12) of the v1 contract, shipped in this jar for producers and tools
 * that validate without Java. What the schemas cannot express is listed in the README section
 * "Contract (v1)"; the codec is the reference where they differ.
 */
public final class ContractSchemas {

    /** Classpath resource of the request schema. */
    public static final String REQUEST_V1 = "/schemas/augment-request.v1.schema.json";
    /** Classpath resource of the result schema. */
    public static final String RESULT_V1 = "/schemas/augment-result.v1.schema.json";

    private ContractSchemas() {
    }

    /** Opens a schema resource; the caller closes it. */
    public static InputStream open(String resource) {
        InputStream in = ContractSchemas.class.getResourceAsStream(resource);
        if (in == null) throw new UncheckedIOException(new java.io.FileNotFoundException("missing resource " + resource));
        return in;
    }
}
