package dev.mt5augment.worker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
    record Row(String name, int inputTokens, int decoderRows, long readyAtNanos) implements BatchableRow {
    }

    private static final long MS = 1_000_000L;

    @Test
    void waitsForLingerUnlessABatchCanBeFilled() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(8, 10_000, Duration.ofMillis(20)));
        p.add(new Row("a", 5, 3, 0));
        assertTrue(p.next(10 * MS, false).isEmpty(), "oldest row has lingered 10 of 20 ms");
        assertEquals(10 * MS, p.nanosUntilDue(10 * MS));
        assertEquals(1, p.next(20 * MS, false).orElseThrow().rows().size());

        p.add(new Row("b", 5, 3, 0));
        p.add(new Row("c", 5, 3, 0));
        p.add(new Row("d", 5, 3, 0)); // 9 decoder rows waiting >= 8: due at once
        assertEquals(0, p.nanosUntilDue(0));
        PlannedBatch<Row> b = p.next(0, false).orElseThrow();
        assertEquals(6, b.decoderRows(), "a third row of 3 would exceed 8 decoder rows");
        assertEquals(1, p.waitingRows());
    }

    @Test
    void flushRunsAtOnce() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(8, 10_000, Duration.ofSeconds(10)));
        p.add(new Row("a", 5, 1, 0));
        assertTrue(p.next(0, false).isEmpty());
        assertEquals(1, p.next(0, true).orElseThrow().rows().size());
        assertTrue(p.isEmpty());
        assertEquals(-1, p.nanosUntilDue(0));
    }

    @Test
    void groupsByLengthAroundTheOldestRow() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(3, 10_000, Duration.ZERO));
        p.add(new Row("oldest", 50, 1, 0));
        p.add(new Row("short1", 4, 1, 1));
        p.add(new Row("long1", 52, 1, 2));
        p.add(new Row("short2", 5, 1, 3));
        p.add(new Row("long2", 47, 1, 4));
        p.add(new Row("short3", 6, 1, 5));
        PlannedBatch<Row> first = p.next(100, false).orElseThrow();
        assertEquals(List.of("long2", "oldest", "long1"), first.rows().stream().map(Row::name).toList());
        assertEquals(52, first.longestInput());
        assertEquals(3 * 52, first.paddedTokens());
        assertEquals(1.0 - (47 + 50 + 52) / (3.0 * 52), first.paddingRatio(), 1e-9);
        PlannedBatch<Row> second = p.next(100, false).orElseThrow();
        assertEquals(List.of("short1", "short2", "short3"), second.rows().stream().map(Row::name).toList());
    }

    @Test
    void respectsPaddedTokenBudget() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(100, 100, Duration.ZERO));
        p.add(new Row("a", 30, 1, 0));
        p.add(new Row("b", 30, 1, 1));
        p.add(new Row("c", 30, 1, 2));
        p.add(new Row("d", 40, 1, 3));
        PlannedBatch<Row> b = p.next(0, false).orElseThrow();
        assertEquals(3, b.rows().size(), "4 rows × 40 = 160 > 100; 3 × 30 = 90 fits");
        assertTrue(b.paddedTokens() <= 100);
    }

    @Test
    void aRowBiggerThanAnyBatchRunsAlone() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(4, 100, Duration.ZERO));
        p.add(new Row("huge", 500, 10, 0));
        p.add(new Row("small", 5, 1, 1));
        PlannedBatch<Row> b = p.next(0, false).orElseThrow();
        assertEquals(List.of("huge"), b.rows().stream().map(Row::name).toList());
        assertEquals(List.of("small"), p.next(1, false).orElseThrow().rows().stream().map(Row::name).toList());
    }

    @Test
    void removeIfDropsRowsAndTheirCounts() {
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(4, 100, Duration.ofSeconds(1)));
        p.add(new Row("keep", 5, 2, 0));
        p.add(new Row("drop", 5, 2, 0));
        assertEquals(0, p.nanosUntilDue(0), "4 decoder rows fill a batch");
        assertEquals(1, p.removeIf(r -> r.name().equals("drop")).size());
        assertEquals(2, p.waitingDecoderRows());
        assertTrue(p.nanosUntilDue(0) > 0);
    }

    @Test
    void everyRowRunsExactlyOnceWithinLimits() {
        Random rnd = new Random(7);
        BatchPlanner<Row> p = new BatchPlanner<>(new BatchLimits(16, 600, Duration.ZERO));
        Set<String> added = new HashSet<>();
        Set<String> ran = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Row r = new Row("r" + i, 1 + rnd.nextInt(60), 1 + rnd.nextInt(4), i);
            p.add(r);
            added.add(r.name());
            if (rnd.nextInt(5) == 0) {
                PlannedBatch<Row> b = p.next(i, false).orElseThrow();
                check(b, ran);
            }
        }
        while (!p.isEmpty()) check(p.next(Long.MAX_VALUE / 2, false).orElseThrow(), ran);
        assertEquals(added, ran);
    }

    private static void check(PlannedBatch<Row> b, Set<String> ran) {
        if (b.rows().size() > 1) {
            assertTrue(b.decoderRows() <= 16, "rows " + b.decoderRows());
            assertTrue(b.paddedTokens() <= 600, "tokens " + b.paddedTokens());
        }
        List<String> names = new ArrayList<>();
        for (Row r : b.rows()) {
            assertTrue(ran.add(r.name()), "ran twice: " + r.name());
            names.add(r.name());
        }
        assertEquals(b.rows().stream().mapToInt(Row::decoderRows).sum(), b.decoderRows());
    }
}
