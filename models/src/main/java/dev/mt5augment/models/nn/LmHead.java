package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.DataType;

/**
 * Decoder output to vocabulary logits. mT5 has its own {@code lm_head}; a tied T5 v1.0 model reuses
 * the embedding and scales the decoder output by {@code d_model^-0.5} first.
 */
public final class LmHead {

    private final Linear projection;
    private final NDArray scale;
    /** {@code [vocab]} added to every row's logits, or null (the model has none; see {@link #biasLogit}). */
    private NDArray logitBias;

    /** @param scale {@code d_model^-0.5} for tied embeddings, else {@code null} */
    public LmHead(Linear projection, Float scale) {
        this.projection = projection;
        this.scale = scale == null ? null : projection.weight().getManager().create(scale.floatValue());
    }

    public long vocabularySize() {
        return projection.outFeatures();
    }

    /** {@code [..., d_model]} to float32 logits {@code [..., vocab]}. Call it on the positions you need only. */
    public NDArray logits(NDArray hidden) {
        NDArray x = scale == null ? hidden : hidden.mul(scale);
        NDArray logits = projection.apply(x).toType(DataType.FLOAT32, false);
        return logitBias == null ? logits : logits.addi(logitBias);
    }

    /**
     * Benchmarks only: adds {@code bias} to one token's logit at every step from now on (a random-weight
     * model never ends a sequence; a bias on {@code </s>} makes outputs stop at mixed lengths). mT5
     * has no such bias; nothing in the product calls this.
     */
    public void biasLogit(int token, float bias) {
        if (token < 0 || token >= vocabularySize()) throw new IllegalArgumentException("token " + token + " is outside the vocabulary");
        if (logitBias == null) {
            logitBias = projection.weight().getManager().zeros(new Shape(vocabularySize()), DataType.FLOAT32);
        }
        logitBias.set(new NDIndex(token), bias);
    }
}
