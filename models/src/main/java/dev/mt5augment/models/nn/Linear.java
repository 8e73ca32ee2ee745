package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * {@code y = x · Wᵀ} with Hugging Face's {@code [out, in]} weight, used as stored (no transpose per call).
 *
 * <p>Row stability: MKL's sgemm, under PyTorch's CPU {@code linear}, computes the last {@code M mod 4}
 * rows of a small product through another kernel whose rounding differs from the main one (measured
 * on this engine build: with one thread for M &lt; 4, with two threads for M &lt; 12; a row's result
 * changes by ~1e-6, and never between two M that are multiples of 4). Inputs are therefore padded
 * with zero rows up to a multiple of 4, so a row's result does not depend on how many rows share the
 * call; that is part of what makes generation independent of batch composition. The padding costs
 * two small ops, and never happens for the usual batch shapes (16 inputs × 3 returns, encoder
 * lengths padded to a multiple of 16).
 *
 * <p>The input is cast to the weight's type first (a no-op in float32), so float16 layers accept the
 * float32 residual stream and the float32 {@code wo} accepts a float16 activation.
 */
public final class Linear {

    static final int ROW_BLOCK = 4;

    private final NDArray weight;

    public Linear(NDArray weight) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("a linear weight is [out, in], got " + weight.getShape());
        }
        this.weight = weight;
    }

    public NDArray weight() {
        return weight;
    }

    public long inFeatures() {
        return weight.getShape().get(1);
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }

    /** {@code x [..., in]} to {@code [..., out]}. */
    public NDArray apply(NDArray x) {
        NDArray in = x.toType(weight.getDataType(), false);
        Shape shape = in.getShape();
        long rows = shape.size() / shape.get(shape.dimension() - 1);
        long pad = paddingRows(rows);
        if (pad == 0) return product(in);
        NDArray flat = shape.dimension() == 2 ? in : in.reshape(rows, inFeatures());
        NDArray padded = flat.pad(new Shape(0, 0, 0, pad), 0);
        NDArray y = product(padded).get(new NDIndex().addSliceDim(0, rows));
        return shape.dimension() == 2 ? y : y.reshape(shape.slice(0, shape.dimension() - 1).add(outFeatures()));
    }

    /** Zero rows to add so that every row takes the main kernel path. */
    static long paddingRows(long rows) {
        if (rows % ROW_BLOCK == 0) return 0;
        return ROW_BLOCK - rows % ROW_BLOCK;
    }

    private NDArray product(NDArray x) {
        if (!MatrixProductClock.enabled()) return x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
        long start = System.nanoTime();
        NDArray y = x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
        MatrixProductClock.add(start);
        return y;
    }
}
