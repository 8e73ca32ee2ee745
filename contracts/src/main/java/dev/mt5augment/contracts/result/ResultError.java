package dev.mt5augment.contracts.result;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;

import java.util.Objects;
import java.util.Optional;

/**
 * The error of a result as it travels. The code is kept as text so that a client reading results
 * from a newer worker still gets a code it does not know instead of failing; {@link #knownCode()}
 * maps it onto {@link ErrorCode}.
 *
 * @param code    an {@link ErrorCode} name
 * @param message what went wrong, for a human
 * @param field   the request field at fault ({@code "texts[3]"}), or {@code null}
 */
public record ResultError(String code, String message, String field) {

    public ResultError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ResultError of(ContractError error) {
        return new ResultError(error.code().name(), error.message(), error.field());
    }

    public static ResultError of(ErrorCode code, String message) {
        return of(ContractError.of(code, message));
    }

    /** The code as an {@link ErrorCode}, empty when this version does not know it. */
    public Optional<ErrorCode> knownCode() {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(code)) return Optional.of(c);
        }
        return Optional.empty();
    }
}
