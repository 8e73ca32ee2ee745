package dev.mt5augment.models.checkpoint;

import dev.mt5augment.models.config.Mt5Config;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Random float32 weights of an mT5 shape, streamed to a safetensors file for benchmarks: the values
 * mean nothing, but their scales are T5's initialisation (transformers' {@code T5PreTrainedModel._init_weights},
 * factor 1), so activations have realistic magnitudes. Never more than one 4 MiB buffer is in memory.
 *
 * <p>Each tensor has its own generator seeded from (seed, tensor name), so a tensor's values do not
 * depend on the others. Draws are approximately normal: the sum of four 16-bit uniforms from one
 * SplitMix64 output (Irwin–Hall), rescaled to the exact standard deviation, within ±3.46σ. That costs
 * one 64-bit mix per weight, which keeps 580M weights to a few seconds.
 */
public final class RandomWeights {

    private static final int BUFFER_FLOATS = 1 << 20;
    private static final float SQRT3 = (float) Math.sqrt(3);

    private RandomWeights() {
    }

    /** How one tensor is initialised: constant {@code 1} (norm weights), or random with this standard deviation. */
    record Init(boolean ones, double std) {
    }

    /** T5's scheme: embeddings 1; q (d_model·d_kv)^-½; k, v, position bias, wi d_model^-½; o (heads·d_kv)^-½; wo d_ff^-½. */
    static Init initFor(String name, Mt5Config c) {
        if (name.endsWith("layer_norm.weight")) return new Init(true, 0);
        if (name.equals(Mt5WeightLayout.SHARED_EMBEDDING) || name.equals(Mt5WeightLayout.LM_HEAD)) return new Init(false, 1.0);
        if (name.endsWith("relative_attention_bias.weight")) return new Init(false, Math.pow(c.dModel(), -0.5));
        if (name.endsWith("Attention.q.weight")) return new Init(false, Math.pow((double) c.dModel() * c.dKv(), -0.5));
        if (name.endsWith("Attention.k.weight") || name.endsWith("Attention.v.weight")) {
            return new Init(false, Math.pow(c.dModel(), -0.5));
        }
        if (name.endsWith("Attention.o.weight")) return new Init(false, Math.pow((double) c.numHeads() * c.dKv(), -0.5));
        if (name.endsWith("DenseReluDense.wo.weight")) return new Init(false, Math.pow(c.dFf(), -0.5));
        if (name.contains("DenseReluDense.wi")) return new Init(false, Math.pow(c.dModel(), -0.5));
        throw new IllegalArgumentException("no initialisation rule for " + name);
    }

    /**
     * Writes every tensor of {@code config}'s layout to {@code file}.
     *
     * @return bytes of tensor data written
     */
    public static long write(Mt5Config config, long seed, Path file) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Mt5WeightLayout.TensorSpec spec : new Mt5WeightLayout(config).tensors()) {
            entries.add(new SafetensorsWriter.Entry(spec.name(), TensorDType.F32, spec.shape()));
        }
        SafetensorsWriter writer = SafetensorsWriter.create(file, entries,
                Map.of("format", "pt", "generator", "mt5-augment random seed=" + seed));
        long bytes = 0;
        try {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer floats = buffer.asFloatBuffer();
            for (SafetensorsWriter.Entry e : writer.order()) {
                Init init = initFor(e.name(), config);
                long state = mix(seed ^ mix(e.name().hashCode() * 0x9E3779B97F4A7C15L + e.name().length()));
                // (S + 2) / 65536 − 2 has mean 0 and variance 1/3 for S the sum of four 16-bit uniforms.
                float scale = (float) (init.std() * SQRT3 / 65536.0);
                float shift = (float) (2.0 * init.std() * SQRT3);
                long remaining = e.byteCount() / 4;
                while (remaining > 0) {
                    int n = (int) Math.min(BUFFER_FLOATS, remaining);
                    floats.clear();
                    if (init.ones()) {
                        for (int i = 0; i < n; i++) floats.put(1f);
                    } else {
                        for (int i = 0; i < n; i++) {
                            state += 0x9E3779B97F4A7C15L;
                            long z = mix(state);
                            long s = (z & 0xFFFF) + ((z >>> 16) & 0xFFFF) + ((z >>> 32) & 0xFFFF) + (z >>> 48) + 2;
                            floats.put(s * scale - shift);
                        }
                    }
                    buffer.clear().limit(n * 4);
                    writer.write(buffer);
                    bytes += n * 4L;
                    remaining -= n;
                }
            }
            writer.close();
            return bytes;
        } catch (RuntimeException ex) {
            writer.abort();
            throw ex;
        }
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
