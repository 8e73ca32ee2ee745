package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelReplica;
import java.util.function.BiFunction;

/**
 * The model the worker tests run.
 *
 * <p>TEMPORARY: the stand-in ({@link StandInModel}) until the engine's {@code Mt5Model} is on
 * main; then the real tiny mT5 from {@code mt5.fixtures}.
 */
public final class TestModels {
    private TestModels() {
    }

    public static ModelLoader loader() {
        return loader((tokenizer, generator) -> generator);
    }

    /** A loader whose generator is wrapped (poison, slow-down) by the given decorator. */
    public static ModelLoader loader(BiFunction<TextTokenizer, Seq2SeqGenerator, Seq2SeqGenerator> decorate) {
        return device -> {
            TextTokenizer tokenizer = new StandInModel.Tokenizer();
            Seq2SeqGenerator generator = decorate.apply(tokenizer, new StandInModel.Generator());
            return new ModelReplica("stand-in", device, tokenizer, generator, 1, () -> { });
        };
    }

    public static String name() {
        return "stand-in (temporary, until Mt5Model lands)";
    }
}
