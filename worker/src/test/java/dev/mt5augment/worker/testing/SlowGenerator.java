package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.List;

/** Test hook: wraps a real generator and adds a pause per call, so that a test can act mid-batch. */
public final class SlowGenerator implements Seq2SeqGenerator {
    private final Seq2SeqGenerator inner;
    private final long pauseMillis;

    public SlowGenerator(Seq2SeqGenerator inner, long pauseMillis) {
        this.inner = inner;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public List<GenerationOutput> generate(List<GenerationInput> batch) {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inner.generate(batch);
    }

    @Override
    public int maxInputTokens() {
        return inner.maxInputTokens();
    }

    @Override
    public void close() {
        inner.close();
    }
}
