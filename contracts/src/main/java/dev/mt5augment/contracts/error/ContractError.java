package dev.mt5augment.contracts.error;

import java.util.Objects;

/**
 * One typed reason why a request was refused.
 *
 * @param code    the error code
 * @param message what is wrong, for a human; at most {@link #MAX_MESSAGE_CHARS} characters, valid Unicode
 * @param field   the wire name of the offending field, with an index for list items
 *                ({@code "texts[3]"}); {@code null} when the error concerns the whole record
 */
public record ContractError(ErrorCode code, String message, String field) {

    /** Messages travel in headers and replies, so they are bounded. */
    public static final int MAX_MESSAGE_CHARS = 500;
    /** Field paths quote what the payload wrote, so they are bounded too. */
    public static final int MAX_FIELD_CHARS = 128;

    public ContractError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        message = Quoting.clean(message, MAX_MESSAGE_CHARS);
        if (field != null) field = Quoting.clean(field, MAX_FIELD_CHARS);
    }

    public static ContractError of(ErrorCode code, String message) {
        return new ContractError(code, message, null);
    }

    public static ContractError of(ErrorCode code, String field, String message) {
        return new ContractError(code, message, field);
    }
}
