package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * The encoder stack: token embedding, blocks sharing block 0's bidirectional position bias,
 * final norm.
 */
public final class Encoder {

    private final TokenEmbedding embedding;
    private final RelativePositionBias positionBias;
    private final List<EncoderLayer> layers;
    private final RmsNorm finalNorm;

    public Encoder(TokenEmbedding embedding, RelativePositionBias positionBias, List<EncoderLayer> layers, RmsNorm finalNorm) {
        this.embedding = embedding;
        this.positionBias = positionBias;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
    }

    /**
     * @param ids     right-padded token ids {@code [n, S]}, int64, on the model's device
     * @param lengths unpadded length of each row
     * @param hidden  when not null, receives a copy of the embedding and of every block's output
     *                except the last, which transformers replaces by the normed output (debugging)
     * @return {@code [n, S, d_model]} float32, after the final norm; padded positions are computed
     *         like the others (their queries attend to the real keys), as transformers does
     */
    public NDArray forward(NDArray ids, int[] lengths, List<NDArray> hidden) {
        NDManager manager = ids.getManager();
        int s = Math.toIntExact(ids.getShape().get(1));
        NDArray x = embedding.lookup(ids);
        NDArray bias = positionBias.bias(manager, 0, s, s).add(AttentionMask.keyPadding(manager, lengths, s));
        if (hidden != null) hidden.add(x.duplicate());
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).forward(x, bias);
            if (hidden != null && l < layers.size() - 1) hidden.add(x.duplicate());
        }
        NDArray out = finalNorm.apply(x);
        if (hidden != null) hidden.add(out.duplicate());
        return out;
    }
}
