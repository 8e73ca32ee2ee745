package dev.mt5augment.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The top-level field names of a JSON object. Only called on a body the request decoder has
 * already accepted, so its size and nesting are bounded.
 */
final class TopLevelFields {
    private static final JsonFactory JSON = new JsonFactory();

    private TopLevelFields() {
    }

    static Set<String> of(byte[] object) throws IOException {
        Set<String> names = new HashSet<>();
        int skip = object.length >= 3 && (object[0] & 0xFF) == 0xEF && (object[1] & 0xFF) == 0xBB && (object[2] & 0xFF) == 0xBF ? 3 : 0;
        try (JsonParser p = JSON.createParser(object, skip, object.length - skip)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return names;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                names.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
        }
        return names;
    }
}
