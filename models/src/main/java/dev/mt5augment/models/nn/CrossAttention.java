package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * Decoder cross-attention (no position bias). Keys and values of the encoder output are projected
 * once per input by {@link #project}. Each {@link CrossSegment} of decoder rows is one batched product
 * against its memory.
 */
public final class CrossAttention {

    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final int heads;
    private final int dKv;

    public CrossAttention(Linear query, Linear key, Linear value, Linear output, int heads, int dKv) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.heads = heads;
        this.dKv = dKv;
    }

    /**
     * Keys and values of an encoder output {@code [n, S, d_model]}: two contiguous
     * {@code [n, heads, S, dKv]} arrays (contiguous so that no step copies them again).
     */
    public NDArray[] project(NDArray encoderOutput) {
        return new NDArray[] {heads(key.apply(encoderOutput)), heads(value.apply(encoderOutput))};
    }

    /** {@code [n, S, inner]} to a contiguous {@code [n, H, S, dKv]} (the flat reshape forces the copy). */
    private NDArray heads(NDArray projected) {
        long n = projected.getShape().get(0);
        long s = projected.getShape().get(1);
        return projected.reshape(n, s, heads, dKv).transpose(0, 2, 1, 3).reshape(-1).reshape(n, heads, s, dKv);
    }

    /**
     * @param x        normed hidden states {@code [rows, t, d_model]}, rows ordered as the segments say
     * @param layer    decoder layer index into each memory
     * @param segments cover {@code [0, rows)} in order
     * @return {@code [rows, t, d_model]}
     */
    public NDArray forward(NDArray x, int layer, List<CrossSegment> segments) {
        long rows = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray q = query.apply(x); // [rows, t, inner]
        NDList contexts = new NDList(segments.size());
        for (CrossSegment segment : segments) {
            EncoderMemory memory = segment.memory();
            NDArray qs = segments.size() == 1 && segment.rowCount() == rows
                    ? q : q.get(new NDIndex().addSliceDim(segment.rowStart(), segment.rowEnd()));
            long n = memory.inputs();
            // Rows of one input side by side: [n, R·t, H, dKv] -> [n, H, R·t, dKv].
            NDArray qh = qs.reshape(n, segment.rowsPerInput() * t, heads, dKv).transpose(0, 2, 1, 3);
            NDArray context = DotProductAttention.attend(qh, memory.keys(layer), memory.values(layer), memory.mask());
            // [n, H, R·t, dKv] -> [n·R, t, inner]
            contexts.add(context.transpose(0, 2, 1, 3).reshape(n * segment.rowsPerInput(), t, (long) heads * dKv));
        }
        NDArray merged = contexts.size() == 1 ? contexts.get(0) : NDArrays.concat(contexts, 0);
        return output.apply(merged);
    }

    /** The type keys and values are kept in. */
    public DataType dataType() {
        return key.weight().getDataType();
    }
}
