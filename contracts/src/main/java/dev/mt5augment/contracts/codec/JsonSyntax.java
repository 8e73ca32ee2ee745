package dev.mt5augment.contracts.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;

import java.io.IOException;

/**
 * First pass: is the text exactly one well-formed JSON value within the reader limits? Streams
 * tokens without building anything, so a syntax error anywhere is reported as
 * {@link ErrorCode#MALFORMED_JSON} before any field is looked at.
 */
final class JsonSyntax {

    private JsonSyntax() {
    }

    /** The root value's first token, or a {@link InvalidRequestException} saying what is wrong and where. */
    static JsonToken check(JsonFactory factory, String text) {
        try (JsonParser p = factory.createParser(text)) {
            JsonToken root = p.nextToken();
            if (root == null) throw new InvalidRequestException(ErrorCode.MALFORMED_JSON, null, "the record is empty");
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new InvalidRequestException(ErrorCode.MALFORMED_JSON, null,
                        "unexpected data after the JSON value" + at(p.currentLocation()));
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw limitExceeded(e);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(ErrorCode.MALFORMED_JSON, null,
                    "the record is not valid JSON: " + e.getOriginalMessage() + at(e.getLocation()));
        } catch (IOException e) {
            throw new InvalidRequestException(ErrorCode.MALFORMED_JSON, null, "the record is not valid JSON: " + e.getMessage());
        }
    }

    static InvalidRequestException limitExceeded(StreamConstraintsException e) {
        return new InvalidRequestException(ErrorCode.SCHEMA_VIOLATION, null,
                "the JSON exceeds a reader limit: " + e.getOriginalMessage() + at(e.getLocation()));
    }

    static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) return "";
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
