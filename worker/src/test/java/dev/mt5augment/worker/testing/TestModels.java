package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelReplica;
import java.util.function.BiFunction;

/**
 * The model the worker tests run.
 *
 * <p>The tokenizer is the real one of the tiny fixture. TEMPORARY: the generator is a stand-in
 * ({@link StandInModel}) until the engine's {@code Mt5Model} is on main; then the real tiny mT5.
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
            TextTokenizer tokenizer = Tokenizers.load(Fixtures.tinyMt5());
            Seq2SeqGenerator generator = decorate.apply(tokenizer, new StandInModel.Generator());
            return new ModelReplica("stand-in", device, tokenizer, generator, 1, () -> {
                generator.close();
                tokenizer.close();
            });
        };
    }

    public static String name() {
        return "fixture tokenizer + stand-in generator (temporary, until Mt5Model lands)";
    }
}
