package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.nn.EncoderMemory;
import dev.mt5augment.models.nn.Mt5Weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes inputs for the decoder, in groups that keep a row's numbers independent of its batch mates:
 * an input is right-padded to its length rounded up to the length bucket and encoded only with inputs
 * of the same padded length and the same rows per input (return sequences or beams), so that each
 * group is one cross-attention segment. Groups come out by padded length, then rows per input.
 *
 * <p>Threading: confined to the generating thread.
 */
final class InputEncoder {

    /**
     * One encoded group.
     *
     * @param members      indexes into the encoded list, in order
     * @param rowsPerInput decoder rows per member
     * @param memory       the members' cross-attention keys, values and mask; the caller closes it
     */
    record Group(int[] members, int rowsPerInput, EncoderMemory memory) {
    }

    private InputEncoder() {
    }

    /** On failure nothing stays allocated. */
    static List<Group> encode(Mt5Weights weights, NDManager manager, List<int[]> inputIds, int[] rowsPerInput,
                              int lengthBucket, int padId) {
        Map<Long, List<Integer>> keyed = new TreeMap<>();
        for (int i = 0; i < inputIds.size(); i++) {
            long padded = roundUp(inputIds.get(i).length, lengthBucket);
            keyed.computeIfAbsent(padded << 20 | rowsPerInput[i], k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>(keyed.size());
        try {
            for (Map.Entry<Long, List<Integer>> g : keyed.entrySet()) {
                int padded = (int) (g.getKey() >>> 20);
                int r = (int) (g.getKey() & 0xFFFFF);
                int[] members = g.getValue().stream().mapToInt(Integer::intValue).toArray();
                groups.add(new Group(members, r, encodeGroup(weights, manager, inputIds, members, padded, padId)));
            }
            return groups;
        } catch (RuntimeException e) {
            for (Group g : groups) g.memory().close();
            throw e;
        }
    }

    private static EncoderMemory encodeGroup(Mt5Weights weights, NDManager manager, List<int[]> inputIds, int[] members,
                                             int padded, int padId) {
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

    /** {@code n} rounded up to a multiple of {@code bucket}. */
    static int roundUp(int n, int bucket) {
        return (n + bucket - 1) / bucket * bucket;
    }
}
