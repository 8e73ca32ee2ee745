package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import java.util.List;

/**
 * Test hook: wraps a real generator and throws, like an engine failure, whenever a batch holds an
 * input whose ids contain the marker sequence. The worker must isolate that input.
 */
public final class PoisonGenerator implements Seq2SeqGenerator {
    private final Seq2SeqGenerator inner;
    private final int[] marker;

    public PoisonGenerator(Seq2SeqGenerator inner, int[] marker) {
        if (marker.length == 0) throw new IllegalArgumentException("empty marker");
        this.inner = inner;
        this.marker = marker.clone();
    }

    @Override
    public List<GenerationOutput> generate(List<GenerationInput> batch) {
        for (GenerationInput in : batch) {
            if (contains(in.inputIds(), marker)) throw new GenerationException("poison row in the batch (test hook)");
        }
        return inner.generate(batch);
    }

    static boolean contains(int[] ids, int[] seq) {
        outer:
        for (int i = 0; i + seq.length <= ids.length; i++) {
            for (int j = 0; j < seq.length; j++) if (ids[i + j] != seq[j]) continue outer;
            return true;
        }
        return false;
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
