package dev.mt5augment.models.runtime;

import ai.djl.ndarray.types.DataType;

/**
 * The number format the transformer computes in. The residual stream, layer norms, softmax and the
 * feed-forward output projection {@code wo} stay in float32 under every precision: mT5 was trained in
 * bfloat16 and overflows float16 there (transformers keeps {@code wo} in float32 for the same reason).
 */
public enum Precision {
    /** Everything in float32; the only precision that matches Hugging Face to 1e-4. The CPU default. */
    FP32(DataType.FLOAT32),
    /** Matrix products in float16, with the float32 islands above; for CUDA. */
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The engine type of the matrix products. */
    public DataType dataType() {
        return dataType;
    }

    /** Parses {@code fp32} / {@code fp16} (case-insensitive), as the command line spells them. */
    public static Precision parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32", "float32" -> FP32;
            case "fp16", "float16" -> FP16;
            default -> throw new IllegalArgumentException("unknown precision '" + name + "' (expected fp32 or fp16)");
        };
    }
}
