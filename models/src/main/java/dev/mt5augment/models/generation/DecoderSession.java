package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.nn.CrossSegment;
import dev.mt5augment.models.nn.EncoderMemory;
import dev.mt5augment.models.nn.KvCache;
import dev.mt5augment.models.nn.Mt5Weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch in flight: its inputs encoded once, its decoder rows, their KV cache, and the mapping from
 * rows back to inputs. Strategies drive it one step at a time.
 *
 * <p>Layout: inputs are grouped into segments by (padded encoder length, rows per input). The padded
 * length is the input length rounded up to the length bucket, so an input is always encoded and
 * attended to at the same padded length whatever its batch mates are: together with the row-stable
 * products of {@code Linear}, a row's numbers do not depend on batch composition. Decoder rows are
 * ordered segment by segment, input-major within a segment, so each segment is one contiguous run of
 * rows and one batched cross-attention product.
 *
 * <p>Inputs leave the batch as a whole ({@link #retainInputs}); a row of an input never leaves alone,
 * since that would change the shape its batch mates' cross-attention product is computed in.
 *
 * <p>Threading: confined to the generating thread.
 */
final class DecoderSession implements AutoCloseable {

    private final Mt5Weights weights;
    private final NDManager manager;
    private final List<Segment> segments = new ArrayList<>();
    private KvCache cache;
    private int[] rowInput;
    private int[] rowSlot;
    private long encoderNanos;
    private long decoderNanos;
    private int steps;
    private long rowSteps;

    /** One segment: its inputs (batch indices), rows per input, and encoded memory. */
    private static final class Segment {
        int[] inputs;
        final int rowsPerInput;
        EncoderMemory memory;

        Segment(int[] inputs, int rowsPerInput, EncoderMemory memory) {
            this.inputs = inputs;
            this.rowsPerInput = rowsPerInput;
            this.memory = memory;
        }
    }

    /**
     * Encodes every input and prepares {@code rowsPerInput[i]} decoder rows for input {@code i}.
     *
     * @param capacity decoder positions to hold (the start token included)
     */
    DecoderSession(Mt5Weights weights, NDManager parent, List<int[]> inputIds, int[] rowsPerInput, int lengthBucket,
                   int padId, int capacity) {
        this.weights = weights;
        this.manager = parent.newSubManager();
        long start = System.nanoTime();
        try {
            Map<Long, List<Integer>> groups = new TreeMap<>();
            for (int i = 0; i < inputIds.size(); i++) {
                long padded = roundUp(inputIds.get(i).length, lengthBucket);
                groups.computeIfAbsent(padded << 20 | rowsPerInput[i], k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<Long, List<Integer>> g : groups.entrySet()) {
                int padded = (int) (g.getKey() >>> 20);
                int r = (int) (g.getKey() & 0xFFFFF);
                int[] members = g.getValue().stream().mapToInt(Integer::intValue).toArray();
                segments.add(new Segment(members, r, encode(inputIds, members, padded, padId)));
            }
            int rows = 0;
            for (Segment s : segments) rows += s.inputs.length * s.rowsPerInput;
            cache = weights.decoder().newCache(manager, rows, capacity);
            rebuildRowTables();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        encoderNanos = System.nanoTime() - start;
    }

    private EncoderMemory encode(List<int[]> inputIds, int[] members, int padded, int padId) {
        long[] ids = new long[members.length * padded];
        int[] lengths = new int[members.length];
        Arrays.fill(ids, padId);
        for (int m = 0; m < members.length; m++) {
            int[] row = inputIds.get(members[m]);
            lengths[m] = row.length;
            for (int j = 0; j < row.length; j++) ids[m * padded + j] = row[j];
        }
        try (NDScope ignored = new NDScope()) {
            NDArray idArray = manager.create(ids, new Shape(members.length, padded));
            NDArray encoded = weights.encoder().forward(idArray, lengths, null);
            return weights.decoder().memory(encoded, lengths);
        }
    }

    private static long roundUp(int n, int bucket) {
        return (long) ((n + bucket - 1) / bucket) * bucket;
    }

    private void rebuildRowTables() {
        int rows = 0;
        for (Segment s : segments) rows += s.inputs.length * s.rowsPerInput;
        rowInput = new int[rows];
        rowSlot = new int[rows];
        int r = 0;
        for (Segment s : segments) {
            for (int input : s.inputs) {
                for (int slot = 0; slot < s.rowsPerInput; slot++) {
                    rowInput[r] = input;
                    rowSlot[r] = slot;
                    r++;
                }
            }
        }
    }

    /** Live decoder rows. */
    int rows() {
        return rowInput.length;
    }

    /** The batch index of the input that row {@code row} belongs to. */
    int inputOf(int row) {
        return rowInput[row];
    }

    /** Which of its input's rows {@code row} is (return index, or beam index). */
    int slotOf(int row) {
        return rowSlot[row];
    }

    /** Positions fed so far. */
    int length() {
        return cache.length();
    }

    /**
     * Feeds one token per row at the next position and returns the float32 logits of that position,
     * {@code [rows, vocab]}, in the caller's {@link NDScope}.
     */
    NDArray step(long[] tokens) {
        if (tokens.length != rows()) throw new IllegalArgumentException(tokens.length + " tokens for " + rows() + " rows");
        long start = System.nanoTime();
        NDArray ids = manager.create(tokens, new Shape(tokens.length, 1));
        NDArray hidden = weights.decoder().forward(ids, cache, crossSegments(), null);
        NDArray logits = weights.lmHead().logits(hidden.reshape(tokens.length, hidden.getShape().get(2)));
        decoderNanos += System.nanoTime() - start;
        steps++;
        rowSteps += tokens.length;
        return logits;
    }

    private List<CrossSegment> crossSegments() {
        List<CrossSegment> out = new ArrayList<>(segments.size());
        int row = 0;
        for (Segment s : segments) {
            CrossSegment c = new CrossSegment(row, s.rowsPerInput, s.memory);
            out.add(c);
            row = c.rowEnd();
        }
        return out;
    }

    /**
     * Drops every input whose {@code keep[input]} is false, with all its rows; the remaining rows keep
     * their order. The cache and memories are copied down to the kept rows (engine index-select).
     */
    void retainInputs(boolean[] keep) {
        long start = System.nanoTime();
        List<Long> keptRows = new ArrayList<>();
        int row = 0;
        List<Segment> kept = new ArrayList<>();
        for (Segment s : segments) {
            List<Integer> keptInputs = new ArrayList<>();
            List<Long> keptPositions = new ArrayList<>();
            for (int p = 0; p < s.inputs.length; p++) {
                if (keep[s.inputs[p]]) {
                    keptInputs.add(s.inputs[p]);
                    keptPositions.add((long) p);
                    for (int k = 0; k < s.rowsPerInput; k++) keptRows.add((long) row + k);
                }
                row += s.rowsPerInput;
            }
            if (keptInputs.isEmpty()) {
                s.memory.close();
                continue;
            }
            if (keptInputs.size() < s.inputs.length) {
                try (NDScope ignored = new NDScope()) {
                    EncoderMemory smaller = s.memory.select(manager.create(keptPositions.stream().mapToLong(Long::longValue).toArray()));
                    s.memory.close();
                    s.memory = smaller;
                }
                s.inputs = keptInputs.stream().mapToInt(Integer::intValue).toArray();
            }
            kept.add(s);
        }
        segments.clear();
        segments.addAll(kept);
        if (keptRows.size() < rowInput.length) {
            try (NDScope ignored = new NDScope()) {
                cache.select(manager.create(keptRows.stream().mapToLong(Long::longValue).toArray()));
            }
        }
        rebuildRowTables();
        decoderNanos += System.nanoTime() - start;
    }

    /**
     * Row {@code r} continues from the cache of row {@code sources[r]} (beam search). Sources must stay
     * inside the same input.
     */
    void reorderRows(long[] sources) {
        boolean identity = true;
        for (int r = 0; r < sources.length; r++) {
            if (rowInput[(int) sources[r]] != rowInput[r]) {
                throw new IllegalArgumentException("row " + r + " cannot take the cache of another input's row " + sources[r]);
            }
            identity &= sources[r] == r;
        }
        if (identity) return;
        long start = System.nanoTime();
        try (NDScope ignored = new NDScope()) {
            cache.select(manager.create(sources));
        }
        decoderNanos += System.nanoTime() - start;
    }

    long encoderNanos() {
        return encoderNanos;
    }

    long decoderNanos() {
        return decoderNanos;
    }

    int steps() {
        return steps;
    }

    long rowSteps() {
        return rowSteps;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        for (Segment s : segments) {
            if (s.memory != null) s.memory.close();
        }
        if (cache != null) cache.close();
        manager.close();
    }
}
