package dev.mt5augment.gateway;

import dev.mt5augment.contracts.error.ErrorCode;

import java.util.Optional;

/** The HTTP status for a contract error code, whether the gateway found it or a worker answered with it. */
final class ErrorStatus {

    private ErrorStatus() {
    }

    static int of(String code) {
        Optional<ErrorCode> known = known(code);
        if (known.isEmpty()) return 502; // a newer worker's code: something went wrong upstream
        return switch (known.get()) {
            case RECORD_TOO_LARGE -> 413;
            case DEADLINE_EXCEEDED -> 504;
            case SHUTTING_DOWN -> 503;
            case INFERENCE_FAILED -> 500;
            default -> 400; // the request breaks the contract
        };
    }

    private static Optional<ErrorCode> known(String code) {
        for (ErrorCode c : ErrorCode.values()) if (c.name().equals(code)) return Optional.of(c);
        return Optional.empty();
    }
}
