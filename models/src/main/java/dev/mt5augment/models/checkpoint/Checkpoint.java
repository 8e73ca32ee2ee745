package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;
import java.util.Set;

/**
 * The tensors of one checkpoint folder, read lazily from memory-mapped files.
 *
 * <p>Lifetime: arrays returned by {@link #loadFloat32} may point straight into the mapped file
 * (F32 data is never copied), so they are valid only until {@link #close()}; they are read-only,
 * and an in-place engine op on one of them is a bug. Copy ({@code toDevice}, {@code toType},
 * {@code duplicate}) to outlive the checkpoint.
 *
 * <p>Threading: safe for concurrent reads.
 */
public interface Checkpoint extends AutoCloseable {

    /** The folder or file this checkpoint was opened from. */
    Path source();

    /** Every tensor name, in file order. */
    Set<String> tensorNames();

    /** @throws CheckpointException naming the tensor and the checkpoint when it is absent */
    TensorInfo info(String name);

    /**
     * The tensor as float32 on the CPU: F32 mapped without a copy (the array aliases the read-only
     * mapping); F16, BF16 and F64 converted exactly in Java into one engine-owned float32 array (never a
     * BF16 array, which aborts DJL 0.36's JVM).
     *
     * @throws CheckpointException when the tensor is absent, not floating point, or its bytes lie outside its file
     */
    NDArray loadFloat32(String name, NDManager manager);

    /**
     * The tensor as a private float32 copy on the CPU, read from the file without mapping it into the
     * process (so none of its file pages count in this process's resident memory), converted like
     * {@link #loadFloat32}. The copy is owned by {@code manager} and outlives {@link #close()}.
     *
     * @throws CheckpointException as {@link #loadFloat32}
     */
    NDArray readFloat32(String name, NDManager manager);

    @Override
    void close();
}
