package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;

/** One encoder block, pre-norm: {@code x += SelfAttention(norm(x)); x += FeedForward(norm(x))}. */
public final class EncoderLayer {

    private final RmsNorm attentionNorm;
    private final SelfAttention attention;
    private final RmsNorm feedForwardNorm;
    private final FeedForward feedForward;

    public EncoderLayer(RmsNorm attentionNorm, SelfAttention attention, RmsNorm feedForwardNorm, FeedForward feedForward) {
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.feedForwardNorm = feedForwardNorm;
        this.feedForward = feedForward;
    }

    /** Updates the float32 residual stream {@code x [n, S, d_model]} in place and returns it. */
    public NDArray forward(NDArray x, NDArray bias) {
        x.addi(Float16Guard.clamp(attention.forward(attentionNorm.apply(x), bias)));
        x.addi(feedForward.forward(feedForwardNorm.apply(x)));
        return x;
    }
}
