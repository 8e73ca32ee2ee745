package dev.mt5augment.models.checkpoint;

/** Element types a checkpoint may store. BF16 never reaches the engine (it aborts DJL 0.36's JVM). */
public enum TensorDType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I8(1), U8(1), BOOL(1);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the types model weights come in. */
    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }
}
