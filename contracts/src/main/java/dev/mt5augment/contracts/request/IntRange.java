package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;

/**
 * The inclusive range of an integer field. Checks take {@code long} so a value is checked before
 * it is narrowed: 4294967299 is out of range, not 3.
 */
public record IntRange(RequestField field, long min, long max) {

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    /** The value as an int, or {@link ErrorCode#PARAM_OUT_OF_RANGE} naming the field. */
    public int check(long value) {
        if (!contains(value)) {
            throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, field.wireName(),
                    field.wireName() + " must be between " + min + " and " + max + ", got " + value);
        }
        return Math.toIntExact(value);
    }

    /** The error for a value too large to read as a long, shown as written (shortened). */
    public InvalidRequestException outOfRange(String writtenValue) {
        String shown = writtenValue.length() > 40 ? writtenValue.substring(0, 40) + "..." : writtenValue;
        return new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, field.wireName(),
                field.wireName() + " must be between " + min + " and " + max + ", got " + shown);
    }
}
