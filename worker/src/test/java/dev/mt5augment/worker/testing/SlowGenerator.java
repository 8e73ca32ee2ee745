package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.List;

/**
 * Test hook: wraps a real generator and adds a pause per call (in a continuous-batching session: per
 * admission), so that a test can act mid-batch.
 */
public final class SlowGenerator implements Seq2SeqGenerator {
    private final Seq2SeqGenerator inner;
    private final long pauseMillis;

    public SlowGenerator(Seq2SeqGenerator inner, long pauseMillis) {
        this.inner = inner;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public List<GenerationOutput> generate(List<GenerationInput> batch) {
        pause();
        return inner.generate(batch);
    }

    @Override
    public <T> GenerationSession<T> openSession() {
        return new ForwardingSession<T>(inner.openSession()) {
            @Override
            public void admit(List<GenerationInput> inputs, List<T> tags) {
                pause();
                inner.admit(inputs, tags);
            }
        };
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
