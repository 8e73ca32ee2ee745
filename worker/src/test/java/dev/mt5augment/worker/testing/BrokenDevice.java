package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Test hook: wraps a real generator; while {@link #broken} is set, every call fails like a lost device. */
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
    public int maxInputTokens() {
        return inner.maxInputTokens();
    }

    @Override
    public void close() {
        inner.close();
    }
}
