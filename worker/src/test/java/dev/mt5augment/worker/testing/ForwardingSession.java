package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationSession;
import dev.mt5augment.models.generation.StepResult;
import java.util.List;
import java.util.function.Predicate;

/** Test hooks' base: a real {@link GenerationSession} that a hook can intercept. */
public class ForwardingSession<T> implements GenerationSession<T> {
    protected final GenerationSession<T> inner;

    public ForwardingSession(GenerationSession<T> inner) {
        this.inner = inner;
    }

    /** Fails the step the way an engine failure inside it does: the session empties and says what it held. */
    protected StepResult<T> failStep(String why) {
        return new StepResult.Failed<>(new GenerationException(why), inner.evict(t -> true));
    }

    @Override
    public void admit(List<GenerationInput> inputs, List<T> tags) {
        inner.admit(inputs, tags);
    }

    @Override
    public StepResult<T> step() {
        return inner.step();
    }

    @Override
    public List<T> evict(Predicate<? super T> which) {
        return inner.evict(which);
    }

    @Override
    public int liveInputs() {
        return inner.liveInputs();
    }

    @Override
    public int liveRows() {
        return inner.liveRows();
    }

    @Override
    public void close() {
        inner.close();
    }
}
