package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.generation.StepResult;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Test hook: wraps a real generator and throws, like an engine failure, whenever a batch holds an
 * input whose ids contain the marker sequence; in a continuous-batching session, every decoder step
 * fails while such an input is live. The worker must isolate that input.
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

    @Override
    public <T> GenerationSession<T> openSession() {
        return new ForwardingSession<T>(inner.openSession()) {
            private final Set<T> poisoned = Collections.newSetFromMap(new IdentityHashMap<>());

            @Override
            public void admit(List<GenerationInput> inputs, List<T> tags) {
                inner.admit(inputs, tags);
                for (int i = 0; i < inputs.size(); i++) if (contains(inputs.get(i).inputIds(), marker)) poisoned.add(tags.get(i));
            }

            @Override
            public StepResult<T> step() {
                if (poisoned.isEmpty()) return inner.step();
                poisoned.clear();
                return failStep("poison row in the step (test hook)");
            }

            @Override
            public List<T> evict(Predicate<? super T> which) {
                List<T> out = inner.evict(which);
                out.forEach(poisoned::remove);
                return out;
            }
        };
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
