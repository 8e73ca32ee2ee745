package dev.mt5augment.worker.intake;

import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GenerationConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request's generation fields into one {@link GenerationConfig} per text.
 *
 * <p>Seeds: a request without {@code seed} gets one derived from its id, so a re-delivered request
 * (after a crash or rebalance) generates the same variants. Each text's row mixes its index into
 * the seed, so two equal texts in one request still get different variants.
 */
public final class RowConfigs {
    private RowConfigs() {
    }

    public static List<GenerationConfig> of(AugmentRequest r) {
        GenerationConfig.Builder b = GenerationConfig.builder()
                .maxNewTokens(r.maxLength())
                .minNewTokens(r.minLength())
                .repetitionPenalty(positiveFloat(r.repetitionPenalty()))
                .noRepeatNgramSize(r.noRepeatNgramSize());
        switch (r.decoding()) {
            case SAMPLE -> b.strategy(DecodingStrategy.SAMPLE)
                    .numReturnSequences(r.numReturnSequences())
                    .temperature(positiveFloat(r.temperature()))
                    .topK(r.topK())
                    .topP(Math.min(1f, positiveFloat(r.topP())));
            case GREEDY -> b.strategy(DecodingStrategy.GREEDY).numReturnSequences(1);
            case BEAM -> b.strategy(DecodingStrategy.BEAM)
                    .numBeams(Math.max(r.numBeams(), r.numReturnSequences()))
                    .numReturnSequences(r.numReturnSequences())
                    .earlyStopping(true);
        }
        long seed = r.seed() != null ? r.seed() : seedFromId(r.id());
        List<GenerationConfig> rows = new ArrayList<>(r.texts().size());
        for (int i = 0; i < r.texts().size(); i++) rows.add(b.seed(rowSeed(seed, i)).build());
        return rows;
    }

    /** A double in (0, x] as a float that stays &gt; 0 (1e-300 would round to 0). */
    private static float positiveFloat(double v) {
        return (float) Math.max(v, Float.MIN_NORMAL);
    }

    static long seedFromId(String id) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long rowSeed(long seed, int index) {
        if (index == 0) return seed;
        long z = seed + 0x9E3779B97F4A7C15L * index; // splitmix64 step
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
