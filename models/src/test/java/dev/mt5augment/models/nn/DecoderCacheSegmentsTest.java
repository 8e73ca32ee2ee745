package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.runtime.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Rows of several {@link CacheSegment}s at different decoder positions, some slots dead, computed in
 * one forward pass give bitwise the hidden states each group gives in a pass of its own.
 */
class DecoderCacheSegmentsTest {

    static TinyModel tiny;

    @BeforeAll
    static void load() {
        tiny = new TinyModel("model.safetensors", Precision.FP32);
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    /** Two inputs of 5 and 9 tokens padded to 16, encoded together: one memory, 2 rows per input. */
    static EncoderMemory memory(NDManager m, long seed) {
        int[] lengths = {5, 9};
        long[] ids = new long[2 * 16];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < lengths[i]; j++) ids[i * 16 + j] = 3 + (seed * 31 + i * 17 + j * 7) % 1300;
        }
        NDArray out = tiny.weights.encoder().forward(m.create(ids, new Shape(2, 16)), lengths, null);
        return tiny.weights.decoder().memory(out, lengths);
    }

    static NDArray tokens(NDManager m, long... ids) {
        return m.create(ids, new Shape(ids.length, 1));
    }

    @Test
    void rowsAtDifferentPositionsWithDeadSlotsComputeAsInTheirOwnPass() {
        NDManager m = tiny.manager;
        Decoder decoder = tiny.weights.decoder();
        try (EncoderMemory a = memory(m, 1); EncoderMemory b = memory(m, 2);
             KvCache aAlone = decoder.newCache(m, 4, 8); KvCache bAlone = decoder.newCache(m, 4, 8);
             KvCache aJoint = decoder.newCache(m, 4, 8); KvCache bJoint = decoder.newCache(m, 4, 8)) {
            // Group a at position 3, group b at position 1: the same history fed to both copies.
            long[][] aHistory = {{0, 0, 0, 0}, {11, 12, 13, 14}, {21, 22, 23, 24}};
            long[][] bHistory = {{0, 0, 0, 0}};
            for (long[] step : aHistory) {
                for (KvCache c : new KvCache[] {aAlone, aJoint}) decoder.forward(tokens(m, step), c, List.of(new CrossSegment(0, 2, a)), null);
            }
            for (long[] step : bHistory) {
                for (KvCache c : new KvCache[] {bAlone, bJoint}) decoder.forward(tokens(m, step), c, List.of(new CrossSegment(0, 2, b)), null);
            }
            // Alone: every slot fed (dead slots get a pad token, as a static batch feeds finished rows).
            float[] aOut = decoder.forward(tokens(m, 31, 0, 33, 34), aAlone, List.of(new CrossSegment(0, 2, a)), null).toFloatArray();
            float[] bOut = decoder.forward(tokens(m, 0, 0, 43, 44), bAlone, List.of(new CrossSegment(0, 2, b)), null).toFloatArray();
            // Together, dead slots left out of the dense rows: a's slot 1, b's slots 0 and 1 (its first input left).
            RowSlots aSlots = RowSlots.of(m, new long[] {0, 2, 3}, 4);
            RowSlots bSlots = RowSlots.of(m, new long[] {2, 3}, 4);
            float[] joint = decoder.forward(tokens(m, 31, 33, 34, 43, 44),
                    List.of(new CacheSegment(0, aJoint, aSlots), new CacheSegment(3, bJoint, bSlots)),
                    List.of(new CrossSegment(0, 2, a, aSlots), new CrossSegment(3, 2, b, bSlots)), null).toFloatArray();
            int d = 64;
            int[][] expectedRows = {{0, 0}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}; // (group, slot) of each joint row
            for (int r = 0; r < expectedRows.length; r++) {
                float[] alone = expectedRows[r][0] == 0 ? aOut : bOut;
                int slot = expectedRows[r][1];
                assertArrayEquals(Arrays.copyOfRange(alone, slot * d, (slot + 1) * d), Arrays.copyOfRange(joint, r * d, (r + 1) * d),
                        "joint row " + r);
            }
            assertArrayEquals(new int[] {4, 2}, new int[] {aJoint.length(), bJoint.length()}, "each cache advanced by one position");
        }
    }

    @Test
    void aMemoryAttendedFromScatteredRowsGivesTheContiguousResult() {
        NDManager m = tiny.manager;
        CrossAttention cross = tiny.weights.decoder().layer(0).crossAttention();
        try (EncoderMemory a = memory(m, 4); EncoderMemory b = memory(m, 5)) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(0, 1, new Shape(6, 1, 64), ai.djl.ndarray.types.DataType.FLOAT32);
            // Contiguous: rows 0-3 are a's four slots, rows 4-5 b's slots 2 and 3.
            float[] contiguous = cross.forward(x, 0, List.of(new CrossSegment(0, 2, a),
                    new CrossSegment(4, 2, b, RowSlots.of(m, new long[] {2, 3}, 4)))).toFloatArray();
            // The same rows interleaved: b's rows first and apart, a's around them.
            long[] order = {4, 0, 1, 5, 2, 3}; // dense row r holds contiguous row order[r]
            NDArray shuffled = x.get(m.create(order));
            float[] scattered = cross.forward(shuffled, 0, List.of(
                    CrossSegment.scattered(m.create(new long[] {1, 2, 4, 5}), 2, a, RowSlots.all(4)),
                    CrossSegment.scattered(m.create(new long[] {0, 3}), 2, b, RowSlots.of(m, new long[] {2, 3}, 4)))).toFloatArray();
            int d = 64;
            for (int r = 0; r < order.length; r++) {
                int from = (int) order[r];
                assertArrayEquals(Arrays.copyOfRange(contiguous, from * d, (from + 1) * d), Arrays.copyOfRange(scattered, r * d, (r + 1) * d),
                        "dense row " + r);
            }
        }
    }

    @Test
    void segmentsMustCoverTheRowsInOrder() {
        NDManager m = tiny.manager;
        Decoder decoder = tiny.weights.decoder();
        try (EncoderMemory a = memory(m, 3); KvCache one = decoder.newCache(m, 4, 4); KvCache two = decoder.newCache(m, 4, 4)) {
            assertThrows(IllegalArgumentException.class, () -> decoder.forward(tokens(m, 1, 2, 3, 4, 5),
                    List.of(CacheSegment.whole(one)), List.of(new CrossSegment(0, 2, a)), null));
            assertThrows(IllegalArgumentException.class, () -> decoder.forward(tokens(m, 1, 2, 3, 4, 5, 6, 7, 8),
                    List.of(CacheSegment.whole(one), new CacheSegment(5, two, RowSlots.all(4))), List.of(new CrossSegment(0, 2, a)), null));
            assertThrows(IllegalArgumentException.class, () -> RowSlots.of(m, new long[] {2, 1}, 4));
            assertThrows(IllegalArgumentException.class, () -> RowSlots.of(m, new long[] {4}, 4));
            assertThrows(IllegalArgumentException.class, () -> new CacheSegment(0, one, RowSlots.all(3)));
        }
    }
}
