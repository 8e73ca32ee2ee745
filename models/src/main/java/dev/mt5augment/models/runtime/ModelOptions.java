package dev.mt5augment.models.runtime;

import java.util.Objects;

/**
 * How a model is placed and run. Build with {@link #builder()}; every field has a default.
 *
 * @param device          {@code cpu} or {@code cuda:N}
 * @param precision       matrix-product precision
 * @param threads         CPU intra-op threads; 0 leaves the engine's default. The engine has one
 *                        process-wide setting, so the last model loaded sets it for all.
 * @param maxInputTokens  longest accepted input row, {@code </s>} included
 * @param weights         float32 CPU weights as private copies or aliases of the mapped file
 * @param lengthBucket    encoder inputs are right-padded to a multiple of this many tokens, and rows
 *                        are encoded together only with rows of the same padded length, so that a
 *                        row's numbers never depend on how long its batch mates are (see
 *                        {@code Mt5Generator}); larger buckets mean fewer groups, more padding
 */
public record ModelOptions(String device, Precision precision, int threads, int maxInputTokens, WeightStorage weights,
                           int lengthBucket) {

    public ModelOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(weights, "weights");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (maxInputTokens < 1) throw new IllegalArgumentException("maxInputTokens must be >= 1, got " + maxInputTokens);
        if (lengthBucket < 1) throw new IllegalArgumentException("lengthBucket must be >= 1, got " + lengthBucket);
    }

    /** CPU, float32, engine-default threads, 512 input tokens, copied weights, length bucket 16. */
    public static ModelOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean onGpu() {
        return !device.trim().equalsIgnoreCase("cpu");
    }

    /**
     * Builder; defaults: {@code cpu}, {@link Precision#FP32}, threads 0 (engine default), 512 input
     * tokens, {@link WeightStorage#COPY}, bucket 16.
     */
    public static final class Builder {
        private String device = "cpu";
        private Precision precision = Precision.FP32;
        private int threads = 0;
        private int maxInputTokens = 512;
        private WeightStorage weights = WeightStorage.COPY;
        private int lengthBucket = 16;

        public Builder device(String v) { device = v; return this; }
        public Builder precision(Precision v) { precision = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder maxInputTokens(int v) { maxInputTokens = v; return this; }
        public Builder weights(WeightStorage v) { weights = v; return this; }
        public Builder lengthBucket(int v) { lengthBucket = v; return this; }

        public ModelOptions build() {
            return new ModelOptions(device, precision, threads, maxInputTokens, weights, lengthBucket);
        }
    }
}
