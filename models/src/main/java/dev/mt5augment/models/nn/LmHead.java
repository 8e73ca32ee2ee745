package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Decoder output to vocabulary logits. mT5 has its own {@code lm_head}; a tied T5 v1.0 model reuses
 * the embedding and scales the decoder output by {@code d_model^-0.5} first.
 */
public final class LmHead {

    private final Linear projection;
    private final NDArray scale;

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
        NDArray logits = projection.apply(x);
        return logits.toType(DataType.FLOAT32, false);
    }
}
