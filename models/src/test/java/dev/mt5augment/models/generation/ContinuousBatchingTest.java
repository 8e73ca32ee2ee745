package dev.mt5augment.models.generation;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous batching gives every input bitwise the ids and scores of a static batch, whatever
 * joins and leaves around it (the tiny fixture stops at {@code </s>} at mixed lengths).
 */
class ContinuousBatchingTest {

    static TinyGenerator tiny;

    @BeforeAll
    static void load() {
        tiny = new TinyGenerator("model.safetensors");
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    /**
     * 40 inputs of 3–60 tokens (four padded lengths): sampled with 1–3 returns, top-k on and off,
     * penalties, min and max lengths; every fifth greedy.
     */
    static List<GenerationInput> mixedInputs(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GenerationInput> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] ids = TinyGenerator.randomInputIds(random);
            GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(6 + random.nextInt(20))
                    .repetitionPenalty(i % 7 == 0 ? 1.3f : 1f).noRepeatNgramSize(i % 9 == 0 ? 3 : 0).seed(500 + i);
            if (i % 5 == 0) {
                b.strategy(DecodingStrategy.GREEDY);
            } else {
                b.strategy(DecodingStrategy.SAMPLE).temperature(0.9f).topP(i % 3 == 0 ? 1f : 0.95f)
                        .topK(i % 4 == 0 ? 0 : 50).numReturnSequences(1 + i % 3).minNewTokens(i % 6 == 0 ? 3 : 0);
            }
            out.add(new GenerationInput(ids, b.build()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} intra-op threads")
    @ValueSource(ints = {1, 2})
    void staggeredArrivalsGiveTheIdsOfStaticBatches(int threads) {
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try {
            List<GenerationInput> inputs = mixedInputs(77, 40);
            // Static reference: batches of 8 in arrival order, as a worker without continuous batching runs them.
            List<GenerationOutput> expected = new ArrayList<>();
            for (int from = 0; from < inputs.size(); from += 8) {
                expected.addAll(tiny.generator.generate(inputs.subList(from, Math.min(inputs.size(), from + 8))));
            }
            Map<Integer, GenerationOutput> got = new HashMap<>();
            SessionStats stats;
            try (ContinuousBatcher<Integer> session = tiny.generator.openSession()) {
                SplittableRandom arrivals = new SplittableRandom(9);
                int next = 0;
                while (next < inputs.size() || !session.isEmpty()) {
                    // 0–3 inputs join before each step: mixed positions, lengths and return counts.
                    int joining = Math.min(inputs.size() - next, session.isEmpty() ? 1 + arrivals.nextInt(3) : arrivals.nextInt(4));
                    List<Integer> tags = new ArrayList<>();
                    for (int i = 0; i < joining; i++) tags.add(next + i);
                    session.admit(inputs.subList(next, next + joining), tags);
                    next += joining;
                    StepResult<Integer> step = session.step();
                    StepResult.Advanced<Integer> advanced = assertInstanceOf(StepResult.Advanced.class, step);
                    for (FinishedInput<Integer> f : advanced.finished()) {
                        assertEquals(null, got.put(f.tag(), f.output()), "input " + f.tag() + " finished twice");
                    }
                }
                stats = session.stats();
            }
            assertEquals(inputs.size(), got.size());
            for (int i = 0; i < inputs.size(); i++) assertSameOutput(expected.get(i), got.get(i), "input " + i);
            // The run exercised what it claims to: many positions at once, dead slots, compaction.
            assertTrue(stats.peakPositions() >= 4, "positions " + stats.peakPositions());
            assertTrue(stats.memorySlotSteps() > stats.rowSteps(), "finished rows left the dense batch while their pool slots stayed");
            assertTrue(stats.slotMoves() > 0, "rows moved into freed cache slots");
            assertTrue(stats.compactions() > 0, "a memory pool was compacted");
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void evictedInputsLeaveAndTheOthersAreUnaffected() {
        List<GenerationInput> inputs = mixedInputs(5, 12);
        List<GenerationOutput> expected = tiny.generator.generate(inputs);
        Map<Integer, GenerationOutput> got = new HashMap<>();
        try (ContinuousBatcher<Integer> session = tiny.generator.openSession()) {
            List<Integer> tags = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) tags.add(i);
            session.admit(inputs, tags);
            session.step();
            session.step();
            List<Integer> evicted = session.evict(t -> t % 2 == 1);
            for (Integer t : evicted) assertEquals(1, t % 2);
            while (!session.isEmpty()) {
                StepResult.Advanced<Integer> a = assertInstanceOf(StepResult.Advanced.class, session.step());
                for (FinishedInput<Integer> f : a.finished()) got.put(f.tag(), f.output());
            }
            for (int i = 0; i < inputs.size(); i += 2) assertSameOutput(expected.get(i), got.get(i), "input " + i);
            for (int i = 1; i < inputs.size(); i += 2) {
                assertTrue(!got.containsKey(i) || evicted.indexOf(i) < 0, "input " + i + " finished or was evicted, never both");
            }
        }
    }

    @Test
    void badInputsAreRefusedWholeAndNothingJoins() {
        GenerationInput good = mixedInputs(3, 1).get(0);
        GenerationInput beam = new GenerationInput(new int[] {5, 6, 1},
                GenerationConfig.builder().strategy(DecodingStrategy.BEAM).numBeams(2).build());
        GenerationInput outside = new GenerationInput(new int[] {5, 99_999, 1}, GenerationConfig.builder().build());
        try (ContinuousBatcher<String> session = tiny.generator.openSession()) {
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> session.admit(List.of(good, beam), List.of("a", "b")));
            assertTrue(b.getMessage().contains("input 1") && b.getMessage().contains("beam"), b.getMessage());
            IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                    () -> session.admit(List.of(good, outside), List.of("a", "b")));
            assertTrue(o.getMessage().contains("input 1") && o.getMessage().contains("99999"), o.getMessage());
            assertThrows(IllegalArgumentException.class, () -> session.admit(List.of(good), List.of()));
            assertEquals(0, session.liveInputs());
            StepResult.Advanced<String> empty = assertInstanceOf(StepResult.Advanced.class, session.step());
            assertEquals(0, empty.rows());
        }
    }

    @Test
    void aClosedSessionRefusesWork() {
        ContinuousBatcher<String> session = tiny.generator.openSession();
        session.admit(mixedInputs(4, 2), List.of("a", "b"));
        assertEquals(2, session.liveInputs());
        session.close();
        assertThrows(IllegalStateException.class, session::step);
    }

    static void assertSameOutput(GenerationOutput expected, GenerationOutput actual, String what) {
        assertEquals(expected.sequences().size(), actual.sequences().size(), what);
        for (int r = 0; r < expected.sequences().size(); r++) {
            assertArrayEquals(expected.sequences().get(r).tokenIds(), actual.sequences().get(r).tokenIds(), what + " return " + r);
            assertEquals(expected.sequences().get(r).score(), actual.sequences().get(r).score(), what + " score of return " + r);
        }
    }
}
