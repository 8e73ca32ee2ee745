package dev.mt5augment.models.generation;

/** How the next token is chosen at each decoder step. */
public enum DecodingStrategy {
    /** The highest-scoring token; deterministic. */
    GREEDY,
    /** Beam search as transformers 4.26 implements it. */
    BEAM,
    /** Ancestral sampling after temperature, top-k and top-p; each return sequence has its own seeded RNG. */
    SAMPLE
}
