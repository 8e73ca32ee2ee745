package dev.mt5augment.contracts.error;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ErrorCodeTest {

    @Test
    void theCodesOfTheContractInTheirWireForm() {
        assertEquals(List.of("MALFORMED_JSON", "NOT_UTF8", "RECORD_TOO_LARGE", "SCHEMA_VIOLATION", "MISSING_ID", "EMPTY_TEXT",
                "TEXT_TOO_LONG", "TOO_MANY_TEXTS", "PARAM_OUT_OF_RANGE", "UNSUPPORTED_TASK", "MISSING_LABELS",
                "UNSUPPORTED_VERSION", "REPLY_TOPIC_NOT_ALLOWED", "INFERENCE_FAILED", "DEADLINE_EXCEEDED", "SHUTTING_DOWN"),
                Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        assertEquals(List.of(ErrorCode.INFERENCE_FAILED, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.SHUTTING_DOWN),
                Arrays.stream(ErrorCode.values()).filter(ErrorCode::retryable).toList(), "only runtime failures are worth a retry");
    }

    @Test
    void messagesAndFieldsAreBoundedAndAlwaysEncodable() {
        ContractError e = ContractError.of(ErrorCode.SCHEMA_VIOLATION, "f\uD800".repeat(100), "m\uDC00".repeat(1000));
        assertEquals(ContractError.MAX_MESSAGE_CHARS, e.message().length());
        assertTrue(e.message().endsWith("..."));
        assertEquals(ContractError.MAX_FIELD_CHARS, e.field().length());
        assertFalse(e.message().chars().anyMatch(c -> Character.isSurrogate((char) c)), "unpaired surrogates replaced");
        assertEquals("ok 😀", ContractError.of(ErrorCode.EMPTY_TEXT, "ok 😀").message(), "pairs are kept");
        assertEquals("'a\\u0000b'", Quoting.quote("a\u0000b"));
        assertEquals("'" + "x".repeat(Quoting.MAX_QUOTED_CHARS) + "...'", Quoting.quote("x".repeat(1000)));
    }
}
