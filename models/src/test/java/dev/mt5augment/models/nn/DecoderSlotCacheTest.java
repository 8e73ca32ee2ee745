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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Rows at different decoder positions in one {@link SlotKvCache}, computed in one forward pass, give
 * bitwise the hidden states each gives in a static pass of its own ({@link KvCache}, every row at one
 * position), through joins, slot moves, growth and more than one {@link KeyWindow}.
 */
class DecoderSlotCacheTest {

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

    static final int D = 64;

    static float[] row(float[] states, int r) {
        return Arrays.copyOfRange(states, r * D, (r + 1) * D);
    }

    @Test
    void rowsAtTheirOwnPositionsComputeAsInTheirOwnStaticPass() {
        NDManager m = tiny.manager;
        Decoder decoder = tiny.weights.decoder();
        try (EncoderMemory a = memory(m, 1); EncoderMemory b = memory(m, 2);
             KvCache aAlone = decoder.newCache(m, 4, 8); KvCache bAlone = decoder.newCache(m, 4, 8);
             SlotKvCache slots = decoder.newSlotCache(m)) {
            List<CrossSegment> aStatic = List.of(new CrossSegment(0, 2, a));
            List<CrossSegment> bStatic = List.of(new CrossSegment(0, 2, b));
            // Static: a runs 5 steps, b joins for the last 3. Finished rows are fed a pad token, as a static batch does.
            long[][] aSteps = {{0, 0, 0, 0}, {11, 12, 13, 14}, {21, 22, 23, 24}, {31, 0, 33, 34}, {41, 0, 0, 44}};
            long[][] bSteps = {{0, 0, 0, 0}, {0, 0, 43, 44}, {0, 0, 53, 54}};
            float[][] aOut = new float[aSteps.length][];
            float[][] bOut = new float[bSteps.length][];
            for (int s = 0; s < aSteps.length; s++) aOut[s] = decoder.forward(tokens(m, aSteps[s]), aAlone, aStatic, null).toFloatArray();
            for (int s = 0; s < bSteps.length; s++) bOut[s] = decoder.forward(tokens(m, bSteps[s]), bAlone, bStatic, null).toFloatArray();

            // Continuous: a's slot 1 finished before the start (only slots 0, 2, 3 are fed), b's first input left.
            slots.reserve(3, 8, 0);
            slots.clear(0, 3);
            RowSlots aLive = RowSlots.of(m, new long[] {0, 2, 3}, 4);
            for (int s = 0; s < 2; s++) {
                float[] got = decoder.forward(tokens(m, aSteps[s][0], aSteps[s][2], aSteps[s][3]), slots, new int[] {s, s, s},
                        List.of(new CrossSegment(0, 2, a, aLive))).toFloatArray();
                for (int r = 0; r < 3; r++) assertArrayEquals(row(aOut[s], new int[] {0, 2, 3}[r]), row(got, r), "step " + s + " row " + r);
            }
            // b's rows join behind a's: the cache grows (a's histories copied) and the new slots are cleared.
            assertEquals(SlotKvCache.SLOT_BLOCK, slots.slots());
            slots.reserve(SlotKvCache.SLOT_BLOCK + 2, 8, 3);
            slots.clear(3, 5);
            assertEquals(2 * SlotKvCache.SLOT_BLOCK, slots.slots());
            RowSlots bLive = RowSlots.of(m, new long[] {2, 3}, 4);
            List<CrossSegment> joint = List.of(new CrossSegment(0, 2, a, aLive), new CrossSegment(3, 2, b, bLive));
            int[][] expected = {{0, 0}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}; // (a or b, static slot) of each joint row
            for (int s = 2; s < 4; s++) {
                int bs = s - 2;
                float[] got = decoder.forward(tokens(m, aSteps[s][0], aSteps[s][2], aSteps[s][3], bSteps[bs][2], bSteps[bs][3]), slots,
                        new int[] {s, s, s, bs, bs}, joint).toFloatArray();
                for (int r = 0; r < 5; r++) {
                    float[] alone = expected[r][0] == 0 ? aOut[s] : bOut[bs];
                    assertArrayEquals(row(alone, expected[r][1]), row(got, r), "step " + s + " joint row " + r);
                }
            }
            // a's static slot 2 finishes: its cache slot 1 takes b's slot-3 row from the back (slot 4).
            slots.move(new long[] {4}, new long[] {1});
            List<CrossSegment> moved = List.of(
                    CrossSegment.scattered(m.create(new long[] {0, 2}), 2, a, RowSlots.of(m, new long[] {0, 3}, 4)),
                    CrossSegment.scattered(m.create(new long[] {3, 1}), 2, b, bLive));
            float[] got = decoder.forward(tokens(m, 41, 54, 44, 53), slots, new int[] {4, 2, 4, 2}, moved).toFloatArray();
            assertArrayEquals(row(aOut[4], 0), row(got, 0), "a slot 0");
            assertArrayEquals(row(bOut[2], 3), row(got, 1), "b slot 3, moved");
            assertArrayEquals(row(aOut[4], 3), row(got, 2), "a slot 3");
            assertArrayEquals(row(bOut[2], 2), row(got, 3), "b slot 2");
        }
    }

    @Test
    void rowsInDifferentKeyWindowsShareAStep() {
        NDManager m = tiny.manager;
        Decoder decoder = tiny.weights.decoder();
        int steps = KeyWindow.BLOCK + 6;
        try (EncoderMemory a = memory(m, 7); KvCache old = decoder.newCache(m, 4, steps); KvCache young = decoder.newCache(m, 4, steps);
             SlotKvCache slots = decoder.newSlotCache(m)) {
            List<CrossSegment> whole = List.of(new CrossSegment(0, 2, a));
            slots.reserve(8, steps, 0);
            slots.clear(0, 8);
            int youngStart = KeyWindow.BLOCK - 3; // the young rows start 3 steps before the old ones cross the block
            for (int s = 0; s < steps; s++) {
                long[] oldTokens = {s % 7 + 3, s % 5 + 3, s % 11 + 3, s % 13 + 3};
                float[] oldOut = decoder.forward(tokens(m, oldTokens), old, whole, null).toFloatArray();
                if (s < youngStart) {
                    decoder.forward(tokens(m, oldTokens), slots, new int[] {s, s, s, s}, whole);
                    continue;
                }
                int ys = s - youngStart;
                long[] youngTokens = {ys % 3 + 5, ys % 4 + 5, ys % 6 + 5, ys % 9 + 5};
                float[] youngOut = decoder.forward(tokens(m, youngTokens), young, whole, null).toFloatArray();
                long[] both = {oldTokens[0], oldTokens[1], oldTokens[2], oldTokens[3], youngTokens[0], youngTokens[1], youngTokens[2], youngTokens[3]};
                List<CrossSegment> two = List.of(new CrossSegment(0, 2, a), new CrossSegment(4, 2, a));
                float[] got = decoder.forward(tokens(m, both), slots, new int[] {s, s, s, s, ys, ys, ys, ys}, two).toFloatArray();
                for (int r = 0; r < 4; r++) {
                    assertArrayEquals(row(oldOut, r), row(got, r), "step " + s + " old row " + r);
                    assertArrayEquals(row(youngOut, r), row(got, 4 + r), "step " + s + " young row " + r);
                }
            }
            assertEquals(2 * KeyWindow.BLOCK, slots.capacity(), "positions past one block take two");
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
    void aCacheRefusesWhatItCannotHold() {
        NDManager m = tiny.manager;
        Decoder decoder = tiny.weights.decoder();
        try (SlotKvCache slots = decoder.newSlotCache(m)) {
            slots.reserve(4, 4, 0);
            assertEquals(KeyWindow.BLOCK, slots.capacity());
            int n = slots.slots();
            assertThrows(IllegalArgumentException.class, () -> slots.clear(2, n + 1));
            assertThrows(IllegalArgumentException.class, () -> slots.keys(0, n + 1, 8));
            assertThrows(IllegalArgumentException.class, () -> slots.keys(0, 4, KeyWindow.BLOCK + 1));
            assertThrows(IllegalArgumentException.class, () -> slots.move(new long[] {1, 2}, new long[] {0}));
            assertThrows(IllegalArgumentException.class, () -> decoder.forward(tokens(m, 1, 2), slots, new int[] {0}, List.of()));
            assertThrows(IllegalArgumentException.class, () -> RowSlots.of(m, new long[] {2, 1}, 4));
            assertThrows(IllegalArgumentException.class, () -> RowSlots.of(m, new long[] {4}, 4));
        }
        try (SlotKvCache slots = decoder.newSlotCache(m)) {
            slots.reserve(4, 4, 0);
            slots.close();
            assertEquals(0, slots.slots(), "closed: freed");
            slots.reserve(2, 4, 0);
            assertEquals(SlotKvCache.SLOT_BLOCK, slots.slots(), "a closed cache starts afresh");
        }
        assertThrows(IllegalArgumentException.class, () -> KeyWindow.keys(-1));
        assertEquals(KeyWindow.BLOCK, KeyWindow.keys(0));
        assertEquals(KeyWindow.BLOCK, KeyWindow.keys(KeyWindow.BLOCK - 1));
        assertEquals(2 * KeyWindow.BLOCK, KeyWindow.keys(KeyWindow.BLOCK));
    }
}
