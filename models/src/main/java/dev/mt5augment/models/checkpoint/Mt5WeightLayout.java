package dev.mt5augment.models.checkpoint;

import dev.mt5augment.models.config.Mt5Config;

import java.util.ArrayList;
import java.util.List;

/**
 * The state-dict names and shapes an mT5 / T5 checkpoint must hold for a config, in Hugging Face's
 * naming ({@code Linear} weights are {@code [out, in]}). One place for names: the engine loads by
 * them, {@code bin/mt5 random} writes them, checkpoint validation checks them.
 */
public final class Mt5WeightLayout {

    /** One expected tensor. */
    public record TensorSpec(String name, long[] shape) {
    }

    private final Mt5Config config;

    public Mt5WeightLayout(Mt5Config config) {
        this.config = config;
    }

    public static final String SHARED_EMBEDDING = "shared.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String ENCODER_FINAL_NORM = "encoder.final_layer_norm.weight";
    public static final String DECODER_FINAL_NORM = "decoder.final_layer_norm.weight";

    /** {@code encoder.block.N.} or {@code decoder.block.N.}. */
    public static String block(boolean decoder, int layer) {
        return (decoder ? "decoder" : "encoder") + ".block." + layer + ".";
    }

    /** Self-attention projection {@code q}, {@code k}, {@code v} or {@code o} of a block. */
    public static String selfAttention(boolean decoder, int layer, String projection) {
        return block(decoder, layer) + "layer.0.SelfAttention." + projection + ".weight";
    }

    /** The relative position bias table {@code [buckets, heads]}; only block 0 of a stack has one. */
    public static String relativeAttentionBias(boolean decoder) {
        return block(decoder, 0) + "layer.0.SelfAttention.relative_attention_bias.weight";
    }

    public static String selfAttentionNorm(boolean decoder, int layer) {
        return block(decoder, layer) + "layer.0.layer_norm.weight";
    }

    /** Decoder cross-attention projection {@code q}, {@code k}, {@code v} or {@code o}. */
    public static String crossAttention(int layer, String projection) {
        return block(true, layer) + "layer.1.EncDecAttention." + projection + ".weight";
    }

    public static String crossAttentionNorm(int layer) {
        return block(true, layer) + "layer.1.layer_norm.weight";
    }

    /** Feed-forward {@code wi} (ungated), {@code wi_0}, {@code wi_1} (gated) or {@code wo}. */
    public static String feedForward(boolean decoder, int layer, String projection) {
        return block(decoder, layer) + "layer." + (decoder ? 2 : 1) + ".DenseReluDense." + projection + ".weight";
    }

    public static String feedForwardNorm(boolean decoder, int layer) {
        return block(decoder, layer) + "layer." + (decoder ? 2 : 1) + ".layer_norm.weight";
    }

    /** Every tensor the engine reads, with its expected shape. Tied models have no {@code lm_head.weight}. */
    public List<TensorSpec> tensors() {
        long d = config.dModel();
        long inner = config.innerDim();
        long ff = config.dFf();
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec(SHARED_EMBEDDING, new long[] {config.vocabSize(), d}));
        for (boolean decoder : new boolean[] {false, true}) {
            int layers = decoder ? config.numDecoderLayers() : config.numLayers();
            out.add(new TensorSpec(relativeAttentionBias(decoder),
                    new long[] {config.relativeAttentionNumBuckets(), config.numHeads()}));
            for (int l = 0; l < layers; l++) {
                for (String p : new String[] {"q", "k", "v"}) {
                    out.add(new TensorSpec(selfAttention(decoder, l, p), new long[] {inner, d}));
                }
                out.add(new TensorSpec(selfAttention(decoder, l, "o"), new long[] {d, inner}));
                out.add(new TensorSpec(selfAttentionNorm(decoder, l), new long[] {d}));
                if (decoder) {
                    for (String p : new String[] {"q", "k", "v"}) {
                        out.add(new TensorSpec(crossAttention(l, p), new long[] {inner, d}));
                    }
                    out.add(new TensorSpec(crossAttention(l, "o"), new long[] {d, inner}));
                    out.add(new TensorSpec(crossAttentionNorm(l), new long[] {d}));
                }
                if (config.gatedFeedForward()) {
                    out.add(new TensorSpec(feedForward(decoder, l, "wi_0"), new long[] {ff, d}));
                    out.add(new TensorSpec(feedForward(decoder, l, "wi_1"), new long[] {ff, d}));
                } else {
                    out.add(new TensorSpec(feedForward(decoder, l, "wi"), new long[] {ff, d}));
                }
                out.add(new TensorSpec(feedForward(decoder, l, "wo"), new long[] {d, ff}));
                out.add(new TensorSpec(feedForwardNorm(decoder, l), new long[] {d}));
            }
            out.add(new TensorSpec(decoder ? DECODER_FINAL_NORM : ENCODER_FINAL_NORM, new long[] {d}));
        }
        if (!config.tieWordEmbeddings()) {
            out.add(new TensorSpec(LM_HEAD, new long[] {config.vocabSize(), d}));
        }
        return out;
    }

    /** Total parameters the engine reads. */
    public long parameterCount() {
        long n = 0;
        for (TensorSpec t : tensors()) {
            long e = 1;
            for (long s : t.shape()) e *= s;
            n += e;
        }
        return n;
    }
}
