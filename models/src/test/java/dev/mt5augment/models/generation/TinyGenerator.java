package dev.mt5augment.models.generation;

import ai.djl.Device;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.TorchRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The tiny fixture model behind an {@link Mt5Generator}, for generation tests. */
final class TinyGenerator implements AutoCloseable {

    final Checkpoint checkpoint;
    final Mt5Weights weights;
    final Mt5Generator generator;

    TinyGenerator(String file, ModelOptions options) {
        TorchRuntime.start(1);
        checkpoint = TinyMt5.checkpoint(file);
        weights = Mt5Weights.load(checkpoint, TinyMt5.config(), options.precision(), Device.cpu(), options.weights());
        generator = new Mt5Generator(weights, options);
    }

    TinyGenerator(String file) {
        this(file, ModelOptions.builder().precision(Precision.FP32).build());
    }

    /**
     * An input of 3–60 tokens drawn from {@code random}: ids of ordinary pieces of the fixture's
     * vocabulary, then {@code </s>}, as a tokenizer would give them.
     */
    static int[] randomInputIds(SplittableRandom random) {
        int length = 3 + random.nextInt(58);
        int[] ids = new int[length];
        for (int j = 0; j < length - 1; j++) ids[j] = 3 + random.nextInt(1400 - 3);
        ids[length - 1] = 1;
        return ids;
    }

    /** The six golden inputs, each with {@code config}. */
    static List<GenerationInput> goldenBatch(GenerationConfig config) {
        List<GenerationInput> batch = new ArrayList<>();
        for (int[] ids : TinyMt5.unpaddedInputIds()) batch.add(new GenerationInput(ids, config));
        return batch;
    }

    /** A golden sequence without the zero padding transformers adds after {@code </s>}. */
    static int[] trimmed(int[] golden, int eos) {
        for (int i = 1; i < golden.length; i++) {
            if (golden[i] == eos) return java.util.Arrays.copyOf(golden, i + 1);
        }
        return golden;
    }

    @Override
    public void close() {
        generator.close();
        weights.close();
        checkpoint.close();
    }
}
