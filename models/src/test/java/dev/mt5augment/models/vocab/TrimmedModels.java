package dev.mt5augment.models.vocab;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.Mt5Model;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Mt5Generator;
import dev.mt5augment.models.nn.CrossSegment;
import dev.mt5augment.models.nn.EncoderMemory;
import dev.mt5augment.models.nn.KvCache;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.WeightStorage;
import dev.mt5augment.models.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model folder on the real engine (fp32, CPU, one thread): loaded through {@link Mt5Model} as a
 * worker loads it, for batched generation; and its weights once more for teacher-forced logits.
 */
final class TrimmedModels implements AutoCloseable {

    private final Mt5Model model;
    private final Mt5Generator generator;
    private final MappedCheckpoint checkpoint;
    private final Mt5Weights weights;

    TrimmedModels(Path dir) {
        model = Mt5Model.load(dir, ModelOptions.builder().precision(Precision.FP32).threads(1).build());
        generator = model.generator();
        checkpoint = Checkpoints.open(dir);
        weights = Mt5Weights.load(checkpoint, Mt5Config.load(dir), Precision.FP32, Device.cpu(), WeightStorage.COPY);
    }

    TextTokenizer tokenizer() {
        return model.tokenizer();
    }

    List<GenerationOutput> generate(List<int[]> inputs, GenerationConfig config) {
        List<GenerationOutput> out = new ArrayList<>();
        for (int s = 0; s < inputs.size(); s += 32) {
            List<GenerationInput> batch = new ArrayList<>();
            for (int[] ids : inputs.subList(s, Math.min(inputs.size(), s + 32))) batch.add(new GenerationInput(ids, config));
            out.addAll(generator.generate(batch));
        }
        return out;
    }

    /** Logits {@code [t][vocab]} of one teacher-forced decoder pass over {@code decoderIds} for one input. */
    float[][] logits(int[] inputIds, int[] decoderIds) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray ids = m.create(toLongs(inputIds), new Shape(1, inputIds.length));
            NDArray encoded = weights.encoder().forward(ids, new int[] {inputIds.length}, null);
            try (EncoderMemory memory = weights.decoder().memory(encoded, new int[] {inputIds.length});
                 KvCache cache = weights.decoder().newCache(m, 1, decoderIds.length)) {
                NDArray hidden = weights.decoder().forward(m.create(toLongs(decoderIds), new Shape(1, decoderIds.length)), cache,
                        List.of(new CrossSegment(0, 1, memory)), null);
                NDArray logits = weights.lmHead().logits(hidden);
                int vocab = Math.toIntExact(logits.getShape().get(2));
                float[] flat = logits.toFloatArray();
                float[][] out = new float[decoderIds.length][];
                for (int t = 0; t < out.length; t++) out[t] = java.util.Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
                return out;
            }
        }
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = ids[i];
        return out;
    }

    @Override
    public void close() {
        weights.close();
        checkpoint.close();
        model.close();
    }
}
