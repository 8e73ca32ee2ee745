package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * One decoder block, pre-norm: causal self-attention, cross-attention to the encoder, feed-forward,
 * each as {@code x += SubLayer(norm(x))}.
 */
public final class DecoderLayer {

    private final int index;
    private final RmsNorm selfAttentionNorm;
    private final CausalSelfAttention selfAttention;
    private final RmsNorm crossAttentionNorm;
    private final CrossAttention crossAttention;
    private final RmsNorm feedForwardNorm;
    private final FeedForward feedForward;

    public DecoderLayer(int index, RmsNorm selfAttentionNorm, CausalSelfAttention selfAttention,
                        RmsNorm crossAttentionNorm, CrossAttention crossAttention,
                        RmsNorm feedForwardNorm, FeedForward feedForward) {
        this.index = index;
        this.selfAttentionNorm = selfAttentionNorm;
        this.selfAttention = selfAttention;
        this.crossAttentionNorm = crossAttentionNorm;
        this.crossAttention = crossAttention;
        this.feedForwardNorm = feedForwardNorm;
        this.feedForward = feedForward;
    }

    public CrossAttention crossAttention() {
        return crossAttention;
    }

    /** Updates the float32 residual stream {@code x [rows, t, d_model]} in place and returns it. */
    public NDArray forward(NDArray x, KvCache cache, NDArray selfBias, List<CrossSegment> segments) {
        x.addi(Float16Guard.clamp(selfAttention.forward(selfAttentionNorm.apply(x), cache, selfBias)));
        return crossAndFeedForward(x, segments);
    }

    /** The same for rows each at its own position (continuous batching). */
    public NDArray forward(NDArray x, SlotKvCache cache, StepPositions at, List<CrossSegment> segments) {
        x.addi(Float16Guard.clamp(selfAttention.forward(selfAttentionNorm.apply(x), cache, at)));
        return crossAndFeedForward(x, segments);
    }

    private NDArray crossAndFeedForward(NDArray x, List<CrossSegment> segments) {
        x.addi(Float16Guard.clamp(crossAttention.forward(crossAttentionNorm.apply(x), index, segments)));
        x.addi(feedForward.forward(feedForwardNorm.apply(x)));
        return x;
    }
}
