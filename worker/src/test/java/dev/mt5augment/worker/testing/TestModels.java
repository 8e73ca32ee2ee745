package dev.mt5augment.worker.testing;

import dev.mt5augment.models.generation.Seq2SeqGenerator;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.worker.loop.EngineModelLoader;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelReplica;
import java.util.function.BiFunction;

/**
 * The model the worker tests run: the real tiny mT5 of the fixtures on the real engine (CPU, fp32,
 * one thread), optionally with its generator wrapped by a test hook (poison, slow-down).
 */
public final class TestModels {
    private TestModels() {
    }

    public static ModelLoader loader() {
        return loader((tokenizer, generator) -> generator);
    }

    /** A loader whose real generator is wrapped (poison, slow-down, broken device) by the decorator. */
    public static ModelLoader loader(BiFunction<TextTokenizer, Seq2SeqGenerator, Seq2SeqGenerator> decorate) {
        EngineModelLoader engine = new EngineModelLoader(Fixtures.tinyMt5(), "fp32", 1);
        return device -> {
            ModelReplica real = engine.load(device);
            Seq2SeqGenerator generator = decorate.apply(real.tokenizer(), real.generator());
            return new ModelReplica(real.name(), device, real.tokenizer(), generator, real.eosId(), real);
        };
    }

    public static String name() {
        return "the tiny mT5 fixture on the real engine";
    }
}
