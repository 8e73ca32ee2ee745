package dev.mt5augment.contracts.result;

import java.util.Optional;

/** Whether a request was served. */
public enum ResultStatus {
    /** Every input text has its variants. */
    OK("ok"),
    /** Nothing was generated; {@code error} says why. */
    ERROR("error");

    private final String wireName;

    ResultStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ResultStatus> fromWireName(String name) {
        for (ResultStatus s : values()) {
            if (s.wireName.equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
