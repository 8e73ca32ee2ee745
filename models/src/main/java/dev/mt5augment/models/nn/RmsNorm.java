package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * T5's layer norm: {@code x · rsqrt(mean(x²) + ε) · w} over the last dimension, in float32, with no
 * mean subtraction and no bias.
 *
 * <p>Computed as {@code x / sqrt(mean(x²) + ε)}: square root and division are correctly rounded in
 * the engine's vector loop and in its scalar tail alike, whereas {@code pow(v, -0.5)} rounds
 * differently in the two, and which elements of the {@code [rows, t, 1]} variances land in the tail
 * depends on how many rows the batch has. That would make a row's numbers depend on its batch
 * mates. (The result differs from transformers' {@code rsqrt} form by at most an ulp.)
 */
public final class RmsNorm {

    private final NDArray weight;
    private final NDArray epsilon;

    /** @param weight {@code [d_model]}, float32 */
    public RmsNorm(NDArray weight, double epsilon) {
        this.weight = weight.toType(DataType.FLOAT32, false);
        // A scalar tensor made once: DJL would otherwise create one per call.
        this.epsilon = weight.getManager().create((float) epsilon);
    }

    /** {@code x [..., d_model]}, float32 in and out. */
    public NDArray apply(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        NDArray rms = variance.addi(epsilon).sqrt();
        variance.close();
        NDArray y = x.div(rms);
        rms.close();
        return y.muli(weight);
    }
}
