package dev.mt5augment.contracts.error;

import java.util.Objects;

/**
 * Thrown by {@code AugmentRequest.Builder#build()} when a request built in Java breaks the
 * contract. The decoder never lets it escape: it returns the same {@link ContractError} as a
 * rejected outcome.
 */
public final class InvalidRequestException extends IllegalArgumentException {

    private final transient ContractError error;

    public InvalidRequestException(ContractError error) {
        super(Objects.requireNonNull(error, "error").code() + (error.field() == null ? "" : " at " + error.field())
                + ": " + error.message());
        this.error = error;
    }

    public InvalidRequestException(ErrorCode code, String field, String message) {
        this(ContractError.of(code, field, message));
    }

    public ContractError error() {
        return error;
    }
}
