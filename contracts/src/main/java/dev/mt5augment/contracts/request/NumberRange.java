package dev.mt5augment.contracts.request;

import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.error.InvalidRequestException;

/**
 * The range {@code (min, max]} of a real-valued field, read as an IEEE-754 double as every JSON
 * library does: a value that rounds to 0 or overflows to infinity is out of range.
 */
public record NumberRange(RequestField field, double exclusiveMin, double inclusiveMax) {

    public boolean contains(double value) {
        return value > exclusiveMin && value <= inclusiveMax;
    }

    /** The value, or {@link ErrorCode#PARAM_OUT_OF_RANGE} naming the field. */
    public double check(double value) {
        if (!contains(value)) {
            throw new InvalidRequestException(ErrorCode.PARAM_OUT_OF_RANGE, field.wireName(),
                    field.wireName() + " must be greater than " + plain(exclusiveMin) + " and at most "
                            + plain(inclusiveMax) + ", got " + value);
        }
        return value;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
