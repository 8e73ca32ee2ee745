package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * transformers clamps T5's float16 hidden states to ±(float16 max − 1000) so an overflow does not turn
 * into inf/NaN for the rest of the stack. Here the residual stream is float32, so only float16
 * sub-layer outputs (attention projections, the gated product before {@code wo}) are clamped, before
 * they join it. A no-op for other types.
 */
final class Float16Guard {

    /** {@code torch.finfo(torch.float16).max - 1000}. */
    static final float LIMIT = 65504f - 1000f;

    private Float16Guard() {
    }

    /** {@code x} itself unless it is float16; then a clamped copy (and {@code x} is closed). */
    static NDArray clamp(NDArray x) {
        if (x.getDataType() != DataType.FLOAT16) return x;
        NDArray clamped = x.clip(-LIMIT, LIMIT);
        x.close();
        return clamped;
    }
}
