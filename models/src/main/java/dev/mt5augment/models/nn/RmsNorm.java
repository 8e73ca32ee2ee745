package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * T5's layer norm: {@code x · rsqrt(mean(x²) + ε) · w} over the last dimension, in float32, with no
 * mean subtraction and no bias.
 */
public final class RmsNorm {

    private final NDArray weight;
    private final NDArray epsilon;
    private final NDArray minusHalf;

    /** @param weight {@code [d_model]}, float32 */
    public RmsNorm(NDArray weight, double epsilon) {
        this.weight = weight.toType(DataType.FLOAT32, false);
        // Scalars as tensors made once: DJL would otherwise create one per call.
        this.epsilon = weight.getManager().create((float) epsilon);
        this.minusHalf = weight.getManager().create(-0.5f);
    }

    /** {@code x [..., d_model]}, float32 in and out. */
    public NDArray apply(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        variance.addi(epsilon).powi(minusHalf);
        NDArray y = x.mul(variance);
        variance.close();
        return y.muli(weight);
    }
}
