package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A lookup table {@code [rows, width]}: token embeddings, or the relative position bias table. The
 * lookup result belongs to the ids' manager (DJL's indexing would attach it to the table's), so a
 * step's scope frees it.
 */
public final class TokenEmbedding {

    private final NDArray table;

    public TokenEmbedding(NDArray table) {
        if (table.getShape().dimension() != 2) throw new IllegalArgumentException("an embedding table is 2-D, got " + table.getShape());
        this.table = table;
    }

    public long rows() {
        return table.getShape().get(0);
    }

    /** {@code ids [...]} int64 to {@code [..., width]} float32. Ids must be in range (checked by the caller). */
    public NDArray lookup(NDArray ids) {
        NDArray rows = JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false);
        if (rows.getDataType() == DataType.FLOAT32) return rows;
        NDArray wide = rows.toType(DataType.FLOAT32, false);
        rows.close();
        return wide;
    }
}
