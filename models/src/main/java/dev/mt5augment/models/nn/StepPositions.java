package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoder positions of one step's rows in a {@link SlotKvCache} (row {@code i} is slot
 * {@code i}), and what self-attention needs of them: where each row's new key and value go, and its
 * rows grouped by {@link KeyWindow} length, each group with the position biases of its rows.
 *
 * <p>With outputs of up to {@link KeyWindow#BLOCK} tokens there is one group: the step runs one
 * self-attention product per layer whatever positions its rows are at. Otherwise each group's
 * product runs over all rows at the group's key length and keeps the group's rows (a row's numbers
 * depend on its own query, keys and bias only, so the other rows' results are simply dropped).
 *
 * <p>Created per step; its arrays belong to the step's scope.
 */
public final class StepPositions {

    /**
     * Rows whose window is {@code keys} long.
     *
     * @param keys keys attended
     * @param bias {@code [rows, heads, 1, keys]}: each member row's {@link RelativePositionBias#stepBias},
     *             a stand-in for the other rows (their results are not kept); {@code [1, heads, 1,
     *             keys]} when every row is at one position
     * @param rows int64 member rows, or null when every row is a member
     */
    public record KeyGroup(int keys, NDArray bias, NDArray rows) {
    }

    private final int rowCount;
    private final NDIndex writeIndex;
    private final List<KeyGroup> groups;

    private StepPositions(int rowCount, NDIndex writeIndex, List<KeyGroup> groups) {
        this.rowCount = rowCount;
        this.writeIndex = writeIndex;
        this.groups = groups;
    }

    /** @param positions the decoder position each row is fed at (its tokens so far, the start token included, minus one) */
    public static StepPositions of(NDManager manager, int[] positions, RelativePositionBias bias) {
        if (positions.length == 0) throw new IllegalArgumentException("a step feeds at least one row");
        long[] slots = new long[positions.length];
        long[] at = new long[positions.length];
        Map<Integer, List<Integer>> byKeys = new LinkedHashMap<>();
        for (int i = 0; i < positions.length; i++) {
            slots[i] = i;
            at[i] = positions[i];
            byKeys.computeIfAbsent(KeyWindow.keys(positions[i]), k -> new ArrayList<>()).add(i);
        }
        NDIndex writeIndex = new NDIndex("{}, :, {}", manager.create(slots), manager.create(at));
        if (Arrays.stream(positions).allMatch(p -> p == positions[0])) {
            // One position: its bias broadcast over the rows, the same additions as a stacked copy.
            KeyGroup only = new KeyGroup(KeyWindow.keys(positions[0]), bias.stepBias(positions[0]), null);
            return new StepPositions(positions.length, writeIndex, List.of(only));
        }
        List<KeyGroup> groups = new ArrayList<>(byKeys.size());
        for (Map.Entry<Integer, List<Integer>> e : byKeys.entrySet()) {
            int keys = e.getKey();
            List<Integer> members = e.getValue();
            PtNDArray[] rowBiases = new PtNDArray[positions.length];
            PtNDArray standIn = (PtNDArray) bias.stepBias(positions[members.get(0)]);
            for (int i = 0; i < positions.length; i++) {
                rowBiases[i] = KeyWindow.keys(positions[i]) == keys ? (PtNDArray) bias.stepBias(positions[i]) : standIn;
            }
            NDArray stacked = JniUtils.cat(rowBiases, 0);
            NDArray rows = null;
            if (members.size() < positions.length) rows = manager.create(members.stream().mapToLong(Integer::longValue).toArray());
            groups.add(new KeyGroup(keys, stacked, rows));
        }
        return new StepPositions(positions.length, writeIndex, List.copyOf(groups));
    }

    public int rows() {
        return rowCount;
    }

    /** {@code (slot, :, position)} of every row: where its new key and value are written. */
    NDIndex writeIndex() {
        return writeIndex;
    }

    public List<KeyGroup> groups() {
        return groups;
    }
}
