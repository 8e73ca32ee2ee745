package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * T5's learned relative position bias: a {@code [buckets, heads]} table, looked up by the bucket of
 * {@code key position − query position}. Only block 0 of a stack holds the table; its bias is added
 * to the attention scores of every layer of that stack.
 */
public final class RelativePositionBias {

    private final TokenEmbedding table;
    private final NDManager owner;
    /** {@link #stepBias} by position: the same few arrays serve every step of every generation. */
    private final Map<Integer, NDArray> steps = new ConcurrentHashMap<>();
    private final boolean bidirectional;
    private final int numBuckets;
    private final int maxDistance;
    private final int heads;

    /**
     * @param table         {@code [buckets, heads]}
     * @param bidirectional true for the encoder (half the buckets look forward), false for the decoder
     */
    public RelativePositionBias(NDArray table, boolean bidirectional, int maxDistance) {
        this.table = new TokenEmbedding(table.toType(DataType.FLOAT32, false));
        this.owner = table.getManager();
        this.bidirectional = bidirectional;
        this.numBuckets = Math.toIntExact(table.getShape().get(0));
        this.heads = Math.toIntExact(table.getShape().get(1));
        this.maxDistance = maxDistance;
    }

    /**
     * transformers' {@code T5Attention._relative_position_bucket}. Within a direction, the first half
     * of the buckets hold one distance each; longer distances share buckets on a log scale up to
     * {@code maxDistance}, and everything beyond lands in the last bucket. The log is taken in float32
     * and truncated, as transformers does.
     */
    public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int base = 0;
        int n = numBuckets;
        int distance;
        if (bidirectional) {
            n /= 2;
            if (relativePosition > 0) base = n;
            distance = Math.abs(relativePosition);
        } else {
            distance = -Math.min(relativePosition, 0);
        }
        int maxExact = n / 2;
        if (distance < maxExact) return base + distance;
        float ratio = (float) distance / (float) maxExact;
        float logRatio = (float) Math.log(ratio);
        float logRange = (float) Math.log((double) maxDistance / maxExact);
        int large = maxExact + (int) (logRatio / logRange * (float) (n - maxExact));
        return base + Math.min(large, n - 1);
    }

    /**
     * The bias for queries at positions {@code [queryStart, queryStart + queries)} against keys at
     * {@code [0, keys)}: {@code [1, heads, queries, keys]}, float32.
     */
    public NDArray bias(NDManager manager, int queryStart, int queries, int keys) {
        long[] ids = new long[queries * keys];
        for (int q = 0; q < queries; q++) {
            for (int k = 0; k < keys; k++) {
                ids[q * keys + k] = bucket(k - (queryStart + q), bidirectional, numBuckets, maxDistance);
            }
        }
        NDArray index = manager.create(ids);
        NDArray rows = table.lookup(index); // [q*k, heads]
        index.close();
        return rows.reshape(queries, keys, heads).transpose(2, 0, 1).reshape(new Shape(1, heads, queries, keys));
    }

    /**
     * {@link #bias} of one new decoder position against its {@link KeyWindow}, {@code [1, heads, 1,
     * KeyWindow.keys(position)]}, the keys after the position masked ({@link AttentionMask#causal}).
     * Made once per position and kept with the table (a decoding step would otherwise spend several
     * engine calls on it). Read-only.
     */
    public NDArray stepBias(int position) {
        return steps.computeIfAbsent(position, p -> {
            try (NDScope ignored = new NDScope()) {
                int keys = KeyWindow.keys(p);
                NDArray b = bias(owner, p, 1, keys);
                b.addi(AttentionMask.causal(owner, p, 1, keys));
                NDScope.unregister(b);
                return b;
            }
        });
    }

    public int heads() {
        return heads;
    }
}
