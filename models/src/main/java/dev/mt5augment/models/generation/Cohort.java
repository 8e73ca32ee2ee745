package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mt5augment.models.nn.Decoder;
import dev.mt5augment.models.nn.EncoderMemory;
import dev.mt5augment.models.nn.KvCache;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a {@link ContinuousBatcher} admitted before the same step: they share one decoder
 * position, hence one {@link KvCache}, whose length is exactly their position (see
 * {@link dev.mt5augment.models.nn.CacheSegment} for why rows at different positions never share one).
 *
 * <p>Layout as in a static batch: segments of inputs encoded together (same padded length and rows
 * per input), input-major within a segment; slot {@code s} of the cache is the {@code s}-th row of
 * that order. A finished row's slot stays in place, dead, so that no step copies the cache; an input
 * whose rows have all finished leaves its segment ({@code null} there). Once dead inputs hold half the
 * slots the cohort is compacted (one copy of the cache and memories), so the copies add up to at most
 * about twice the cohort's first size.
 *
 * <p>Threading: confined to the generating thread.
 */
final class Cohort<T> implements AutoCloseable {

    /** One encoded group: its memory and its inputs in memory order ({@code null} once gone). */
    static final class Segment<T> {
        final int rowsPerInput;
        EncoderMemory memory;
        List<LiveInput<T>> inputs;

        Segment(int rowsPerInput, EncoderMemory memory, List<LiveInput<T>> inputs) {
            this.rowsPerInput = rowsPerInput;
            this.memory = memory;
            this.inputs = new ArrayList<>(inputs);
        }

        int slotCount() {
            return inputs.size() * rowsPerInput;
        }
    }

    final List<Segment<T>> segments = new ArrayList<>();
    private KvCache cache;
    private int capacity = 1;

    void add(Segment<T> segment) {
        if (started()) throw new IllegalStateException("a cohort takes inputs only before its first step");
        segments.add(segment);
        for (LiveInput<T> in : segment.inputs) capacity = Math.max(capacity, in.config.maxNewTokens());
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
        for (Segment<T> s : segments) n += s.slotCount();
        return n;
    }

    List<LiveInput<T>> liveInputs() {
        List<LiveInput<T>> out = new ArrayList<>();
        for (Segment<T> s : segments) for (LiveInput<T> in : s.inputs) if (in != null) out.add(in);
        return out;
    }

    boolean isEmpty() {
        for (Segment<T> s : segments) for (LiveInput<T> in : s.inputs) if (in != null) return false;
        return true;
    }

    /** Takes an input out (finished or evicted); its slots go dead. */
    boolean remove(LiveInput<T> input) {
        for (Segment<T> s : segments) {
            int p = s.inputs.indexOf(input);
            if (p >= 0) {
                s.inputs.set(p, null);
                return true;
            }
        }
        return false;
    }

    /** True when inputs that left hold at least half the slots. */
    boolean worthCompacting() {
        int dead = 0;
        for (Segment<T> s : segments) for (LiveInput<T> in : s.inputs) if (in == null) dead += s.rowsPerInput;
        return dead > 0 && 2 * dead >= slotCount();
    }

    /** Drops the slots and memory rows of inputs that left: one copy of what stays. */
    void compact(NDManager manager) {
        List<Long> keptSlots = new ArrayList<>();
        int slot = 0;
        List<Segment<T>> kept = new ArrayList<>();
        for (Segment<T> s : segments) {
            List<Long> keptPositions = new ArrayList<>();
            List<LiveInput<T>> keptInputs = new ArrayList<>();
            for (int p = 0; p < s.inputs.size(); p++) {
                if (s.inputs.get(p) != null) {
                    keptPositions.add((long) p);
                    keptInputs.add(s.inputs.get(p));
                    for (int r = 0; r < s.rowsPerInput; r++) keptSlots.add((long) slot + r);
                }
                slot += s.rowsPerInput;
            }
            if (keptInputs.isEmpty()) {
                s.memory.close();
                continue;
            }
            if (keptInputs.size() < s.inputs.size()) {
                try (NDScope ignored = new NDScope()) {
                    NDArray positions = manager.create(keptPositions.stream().mapToLong(Long::longValue).toArray());
                    EncoderMemory smaller = s.memory.select(positions);
                    s.memory.close();
                    s.memory = smaller;
                }
                s.inputs = keptInputs;
            }
            kept.add(s);
        }
        segments.clear();
        segments.addAll(kept);
        if (cache != null && keptSlots.size() < cache.rows()) {
            try (NDScope ignored = new NDScope()) {
                cache.select(manager.create(keptSlots.stream().mapToLong(Long::longValue).toArray()));
            }
        }
    }

    @Override
    public void close() {
        for (Segment<T> s : segments) s.memory.close();
        segments.clear();
        if (cache != null) cache.close();
    }
}
