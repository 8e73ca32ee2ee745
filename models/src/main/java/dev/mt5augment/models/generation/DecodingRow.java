package dev.mt5augment.models.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The decoding state of one decoder row: its sequence so far (decoder start token first), whether it
 * finished, its running score, and for sampling its own random stream.
 *
 * <p>Threading: confined to the generating thread.
 */
final class DecodingRow {

    final int input;
    final int slot;
    final GenerationConfig config;
    private int[] tokens;
    private int length;
    boolean finished;
    double score;
    final SplittableRandom random;

    DecodingRow(int input, int slot, GenerationConfig config, int startToken, int capacity) {
        this.input = input;
        this.slot = slot;
        this.config = config;
        this.tokens = new int[Math.max(2, capacity + 1)];
        this.tokens[0] = startToken;
        this.length = 1;
        this.random = config.strategy() == DecodingStrategy.SAMPLE ? new SplittableRandom(streamSeed(config.seed(), slot)) : null;
    }

    private DecodingRow(DecodingRow other) {
        this.input = other.input;
        this.slot = other.slot;
        this.config = other.config;
        this.tokens = other.tokens.clone();
        this.length = other.length;
        this.finished = other.finished;
        this.score = other.score;
        this.random = null;
    }

    /**
     * The seed of return sequence {@code slot} of a request seeded {@code seed}: both mixed through
     * SplitMix64's finaliser, so neighbouring seeds and slots give unrelated streams
     * ({@code new SplittableRandom(s)} alone would give shifted copies for {@code s} and {@code s + γ}).
     */
    static long streamSeed(long seed, int slot) {
        return mix64(mix64(seed) ^ mix64(0x9E3779B97F4A7C15L * (slot + 1)));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    DecodingRow copy() {
        return new DecodingRow(this);
    }

    void append(int token) {
        if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[length++] = token;
    }

    int length() {
        return length;
    }

    int token(int i) {
        return tokens[i];
    }

    int lastToken() {
        return tokens[length - 1];
    }

    /** Tokens generated so far, the start token not counted. */
    int generated() {
        return length - 1;
    }

    int[] sequence() {
        return Arrays.copyOf(tokens, length);
    }
}
