package dev.mt5augment.worker.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.worker.testing.PoisonGenerator;
import dev.mt5augment.worker.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InferenceRunnerTest {
    private static final int[] MARKER = {777, 778};

    private static List<GenerationInput> batch(int n, int... poisoned) {
        List<GenerationInput> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean poison = false;
            for (int p : poisoned) poison |= p == i;
            int[] ids = poison ? new int[] {5, 777, 778, 9, 1} : new int[] {5 + i, 6, 7, 1};
            b.add(new GenerationInput(ids, GenerationConfig.builder().maxNewTokens(4).build()));
        }
        return b;
    }

    /** Counts calls around the test model's generator. */
    private static final class Counting implements Seq2SeqGenerator {
        final Seq2SeqGenerator inner;
        final AtomicInteger calls = new AtomicInteger();

        Counting(Seq2SeqGenerator inner) {
            this.inner = inner;
        }

        @Override
        public List<GenerationOutput> generate(List<GenerationInput> batch) {
            calls.incrementAndGet();
            return inner.generate(batch);
        }

        @Override
        public int maxInputTokens() {
            return inner.maxInputTokens();
        }

        @Override
        public void close() {
        }
    }

    private static Seq2SeqGenerator model() {
        return TestModels.loader().load("cpu").generator();
    }

    @Test
    void aHealthyBatchIsOneCall() {
        Counting g = new Counting(model());
        BatchReport r = new InferenceRunner(g, 1).run(batch(16));
        assertEquals(1, r.calls());
        assertEquals(1, g.calls.get());
        assertFalse(r.anyFailed());
        assertTrue(r.newTokens() > 0);
    }

    @Test
    void onePoisonRowIsIsolatedByHalving() {
        PoisonGenerator g = new PoisonGenerator(model(), MARKER);
        BatchReport r = new InferenceRunner(g, 1).run(batch(16, 11));
        for (int i = 0; i < 16; i++) {
            if (i == 11) assertInstanceOf(RowResult.Failed.class, r.results().get(i));
            else assertInstanceOf(RowResult.Generated.class, r.results().get(i), "row " + i);
        }
        assertFalse(r.allFailed());
        assertEquals(5, r.failedCalls(), "16, 8, 4, 2, 1 rows: the failing path");
        assertEquals(9, r.calls(), "2·log2(16) + 1");
    }

    @Test
    void twoPoisonRowsBothFailAlone() {
        BatchReport r = new InferenceRunner(new PoisonGenerator(model(), MARKER), 1).run(batch(7, 0, 6));
        long failed = r.results().stream().filter(x -> x instanceof RowResult.Failed).count();
        assertEquals(2, failed);
        assertInstanceOf(RowResult.Failed.class, r.results().get(0));
        assertInstanceOf(RowResult.Failed.class, r.results().get(6));
    }

    @Test
    void aDeadDeviceFailsEveryRow() {
        Seq2SeqGenerator dead = new Seq2SeqGenerator() {
            @Override
            public List<GenerationOutput> generate(List<GenerationInput> batch) {
                throw new IllegalStateException("CUDA error: device lost");
            }

            @Override
            public int maxInputTokens() {
                return 512;
            }

            @Override
            public void close() {
            }
        };
        BatchReport r = new InferenceRunner(dead, 1).run(batch(4));
        assertTrue(r.allFailed());
        assertEquals(7, r.calls());
    }

    @Test
    void aWrongNumberOfOutputsIsAFailureNotACrash() {
        Seq2SeqGenerator shortchanging = new Seq2SeqGenerator() {
            final Seq2SeqGenerator inner = model();

            @Override
            public List<GenerationOutput> generate(List<GenerationInput> batch) {
                List<GenerationOutput> out = inner.generate(batch);
                return batch.size() > 1 ? out.subList(0, 1) : out;
            }

            @Override
            public int maxInputTokens() {
                return 512;
            }

            @Override
            public void close() {
            }
        };
        BatchReport r = new InferenceRunner(shortchanging, 1).run(batch(3));
        assertFalse(r.anyFailed(), "split down to single rows, each of which is answered");
        assertTrue(r.failedCalls() > 0);
    }
}
