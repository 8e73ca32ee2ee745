package dev.mt5augment.models.checkpoint;

import java.util.Optional;

/**
 * Element types a checkpoint may store, named as safetensors names them. BF16 never reaches the
 * engine (it aborts DJL 0.36's JVM); the 8-bit float types are recognised so such files open, but
 * are never loaded.
 */
public enum TensorDType {
    F32(4), F16(2), BF16(2), F64(8),
    I64(8), I32(4), I16(2), I8(1),
    U64(8), U32(4), U16(2), U8(1),
    BOOL(1),
    F8_E4M3(1), F8_E5M2(1);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the types model weights come in, i.e. the ones {@link Checkpoint#loadFloat32} reads. */
    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** The type a safetensors header names ({@code "F32"}, {@code "BF16"}, ...), if known. */
    public static Optional<TensorDType> fromSafetensorsName(String name) {
        for (TensorDType t : values()) {
            if (t.name().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
