package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.generation.StepResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test hook: wraps a real generator; while {@link #broken} is set, every call fails like a lost device
 * (in a continuous-batching session: every admission and every step).
 */
public final class BrokenDevice implements Seq2SeqGenerator {
    public final AtomicBoolean broken = new AtomicBoolean(true);
    private final Seq2SeqGenerator inner;

    public BrokenDevice(Seq2SeqGenerator inner) {
        this.inner = inner;
    }

    @Override
    public List<GenerationOutput> generate(List<GenerationInput> batch) {
        if (broken.get()) throw new GenerationException("device lost (test hook)");
        return inner.generate(batch);
    }

    @Override
    public <T> GenerationSession<T> openSession() {
        return new ForwardingSession<T>(inner.openSession()) {
            @Override
            public void admit(List<GenerationInput> inputs, List<T> tags) {
                if (broken.get()) throw new GenerationException("device lost (test hook)");
                inner.admit(inputs, tags);
            }

            @Override
            public StepResult<T> step() {
                return broken.get() ? failStep("device lost (test hook)") : inner.step();
            }
        };
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
