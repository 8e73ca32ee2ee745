package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.mt5augment.models.config.Activation;

/**
 * T5's feed-forward block. Gated (T5 v1.1 / mT5): {@code wo(act(wi_0·x) ⊙ (wi_1·x))}. Ungated
 * (T5 v1.0): {@code wo(act(wi·x))}.
 *
 * <p>{@code wo} may be float32 while the rest is float16 (mT5 overflows float16 in {@code wo}); its
 * input is then widened by {@link Linear}, after {@link Float16Guard} clamped it.
 */
public final class FeedForward {

    private final Linear wi;
    private final Linear gateLinear;
    private final Linear wo;
    private final Activation activation;
    private final NDArray half;
    private final NDArray one;
    private final NDArray cubicCoefficient;
    private final NDArray sqrtTwoOverPi;

    /**
     * @param wi        {@code wi_0} when gated (it goes through the activation), else {@code wi}; {@code [d_ff, d_model]}
     * @param wiLinear  {@code wi_1} when gated, else null; {@code [d_ff, d_model]}
     * @param wo        {@code [d_model, d_ff]}
     */
    public FeedForward(Linear wi, Linear wiLinear, Linear wo, Activation activation) {
        this.wi = wi;
        this.gateLinear = wiLinear;
        this.wo = wo;
        this.activation = activation;
        NDManager m = wi.weight().getManager();
        DataType type = wi.weight().getDataType();
        // Scalars as tensors made once: DJL would otherwise create one per call.
        this.half = m.create(0.5f).toType(type, false);
        this.one = m.create(1f).toType(type, false);
        this.cubicCoefficient = m.create(0.044715f).toType(type, false);
        this.sqrtTwoOverPi = m.create((float) Math.sqrt(2.0 / Math.PI)).toType(type, false);
    }

    /** {@code x [..., d_model]} (normed) to {@code [..., d_model]}. */
    public NDArray forward(NDArray x) {
        NDArray h = wi.apply(x);
        NDArray inner = activate(h);
        h.close();
        if (gateLinear != null) {
            NDArray linearPart = gateLinear.apply(x);
            inner.muli(linearPart);
            linearPart.close();
        }
        return wo.apply(Float16Guard.clamp(inner));
    }

    /** A new array: the activation of {@code x}. */
    private NDArray activate(NDArray x) {
        return switch (activation) {
            case RELU -> x.getNDArrayInternal().relu();
            case GELU -> x.getNDArrayInternal().gelu();
            case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
            case GELU_NEW -> geluNew(x);
        };
    }

    /** transformers' {@code gelu_new}, in its operation order: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    private NDArray geluNew(NDArray x) {
        NDArray inner = x.mul(x).muli(x).muli(cubicCoefficient).addi(x).muli(sqrtTwoOverPi);
        NDArray tanh = inner.tanh();
        inner.close();
        tanh.addi(one);
        NDArray y = x.mul(half).muli(tanh);
        tanh.close();
        return y;
    }
}
