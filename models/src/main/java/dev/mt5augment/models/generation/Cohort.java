package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mt5augment.models.nn.Decoder;
import dev.mt5augment.models.nn.KvCache;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a {@link ContinuousBatcher} admitted before the same step: they share one decoder
 * position, hence one {@link KvCache}, whose length is exactly their position (see
 * {@link dev.mt5augment.models.nn.CacheSegment} for why rows at different positions never share one).
 *
 * <p>Slots: input after input, each holding its rows in order. A finished row's slot stays in place,
 * dead, so that no step copies the cache; an input that left ({@link LiveInput#left}) keeps its slots
 * until inputs that left hold half the slots, when the cohort is compacted (one copy of the cache, so
 * the copies add up to at most about twice the cohort's first size).
 *
 * <p>Threading: confined to the generating thread.
 */
final class Cohort<T> implements AutoCloseable {

    final List<LiveInput<T>> inputs = new ArrayList<>();
    private KvCache cache;
    private int capacity = 1;

    void add(LiveInput<T> input) {
        if (started()) throw new IllegalStateException("a cohort takes inputs only before its first step");
        inputs.add(input);
        capacity = Math.max(capacity, input.config.maxNewTokens());
    }

    boolean started() {
        return cache != null;
    }

    /** Allocates the cache before the first step. */
    void start(Decoder decoder, NDManager manager) {
        if (!started()) cache = decoder.newCache(manager, slotCount(), capacity);
    }

    KvCache cache() {
        return cache;
    }

    int slotCount() {
        int n = 0;
        for (LiveInput<T> in : inputs) n += in.rows.length;
        return n;
    }

    boolean isEmpty() {
        for (LiveInput<T> in : inputs) if (!in.left) return false;
        return true;
    }

    /** True when inputs that left hold at least half the slots. */
    boolean worthCompacting() {
        int dead = 0;
        for (LiveInput<T> in : inputs) if (in.left) dead += in.rows.length;
        return dead > 0 && 2 * dead >= slotCount();
    }

    /** Drops the slots of inputs that left: one copy of the cache rows that stay. */
    void compact(NDManager manager) {
        List<Long> kept = new ArrayList<>();
        int slot = 0;
        for (LiveInput<T> in : inputs) {
            if (!in.left) for (int r = 0; r < in.rows.length; r++) kept.add((long) slot + r);
            slot += in.rows.length;
        }
        inputs.removeIf(in -> in.left);
        if (cache != null && kept.size() < cache.rows()) {
            try (NDScope ignored = new NDScope()) {
                cache.select(manager.create(kept.stream().mapToLong(Long::longValue).toArray()));
            }
        }
    }

    @Override
    public void close() {
        inputs.clear();
        if (cache != null) cache.close();
    }
}
