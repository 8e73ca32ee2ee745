package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mt5augment.models.nn.EncoderMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * The cross-attention keys and values of every live input of a {@link ContinuousBatcher} with one
 * padded length and one row count, whatever step it joined at: one {@link EncoderMemory}, so that a
 * step runs one cross-attention product per pool instead of one per admission (cross-attention does
 * not depend on the decoder position). An input's product has the same shape in a pool as in a static
 * batch's segment ({@code rowsPerInput} query rows against its own keys), so its numbers are the same.
 *
 * <p>Joining copies the pool's memory once (concatenation); inputs that left keep their place until
 * they hold half of it, when the pool is compacted.
 *
 * <p>Threading: confined to the generating thread.
 */
final class MemoryPool<T> implements AutoCloseable {

    final int rowsPerInput;
    final List<LiveInput<T>> inputs = new ArrayList<>();
    private EncoderMemory memory;

    MemoryPool(int rowsPerInput) {
        this.rowsPerInput = rowsPerInput;
    }

    EncoderMemory memory() {
        return memory;
    }

    /** Takes ownership of {@code encoded}, whose inputs are {@code joining} in order. */
    void add(EncoderMemory encoded, List<LiveInput<T>> joining) {
        if (encoded.inputs() != joining.size()) throw new IllegalArgumentException(encoded.inputs() + " encoded inputs for " + joining.size());
        if (memory == null) {
            memory = encoded;
        } else {
            EncoderMemory both;
            try (NDScope ignored = new NDScope()) {
                both = EncoderMemory.concat(List.of(memory, encoded));
            } finally {
                encoded.close();
            }
            memory.close();
            memory = both;
        }
        inputs.addAll(joining);
    }

    int slotCount() {
        return inputs.size() * rowsPerInput;
    }

    boolean isEmpty() {
        for (LiveInput<T> in : inputs) if (!in.left) return false;
        return true;
    }

    boolean worthCompacting() {
        int dead = 0;
        for (LiveInput<T> in : inputs) if (in.left) dead++;
        return dead > 0 && 2 * dead >= inputs.size();
    }

    /** Drops the memory rows of inputs that left: one copy of what stays. */
    void compact(NDManager manager) {
        List<Long> kept = new ArrayList<>();
        for (int p = 0; p < inputs.size(); p++) if (!inputs.get(p).left) kept.add((long) p);
        if (kept.size() == inputs.size()) return;
        inputs.removeIf(in -> in.left);
        try (NDScope ignored = new NDScope()) {
            EncoderMemory smaller = memory.select(manager.create(kept.stream().mapToLong(Long::longValue).toArray()));
            memory.close();
            memory = smaller;
        }
    }

    @Override
    public void close() {
        inputs.clear();
        if (memory != null) memory.close();
        memory = null;
    }
}
