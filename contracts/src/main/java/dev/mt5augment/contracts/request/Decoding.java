package dev.mt5augment.contracts.request;

import java.util.Optional;

/** How the worker picks tokens for a request ({@code decoding} on the wire). */
public enum Decoding {
    /** Ancestral sampling with temperature, top-k and top-p; each variant has its own seeded RNG. */
    SAMPLE("sample"),
    /** The most likely token each step; deterministic, one variant only. */
    GREEDY("greedy"),
    /** Beam search; returns the best {@code num_return_sequences} of {@code num_beams} beams. */
    BEAM("beam");

    private final String wireName;

    Decoding(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The strategy with this exact wire name (case-sensitive), if any. */
    public static Optional<Decoding> fromWireName(String name) {
        for (Decoding d : values()) {
            if (d.wireName.equals(name)) return Optional.of(d);
        }
        return Optional.empty();
    }
}
