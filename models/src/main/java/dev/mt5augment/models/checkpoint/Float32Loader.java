package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns a stored tensor into a float32 engine array with as little copying as the dtype allows:
 * <ul>
 *   <li>F32: the array aliases the file mapping (torch {@code from_blob}), no copy at all;</li>
 *   <li>F16, F64: an array of the stored type aliases the mapping, the engine converts it;</li>
 *   <li>BF16: widened in Java (a shift) into a small reusable off-heap buffer, chunk by chunk, each chunk
 *       copied into one engine-owned float32 array. A BF16 engine array is never made: DJL 0.36 aborts
 *       the JVM on one.</li>
 * </ul>
 * Tensors too large for one {@link ByteBuffer} (over 2 GiB), or whose bytes are not aligned to their
 * element size, take the same chunked path. Data is little-endian on disk and on every platform the
 * engine runs on.
 *
 * <p>Threading: stateless apart from its limits; safe for concurrent use.
 */
final class Float32Loader {

    /** Elements per chunk on the chunked path: 16 MiB of float32. */
    static final int DEFAULT_CHUNK_ELEMENTS = 4 << 20;

    private final int chunkElements;
    private final long maxDirectBytes;

    Float32Loader() {
        this(DEFAULT_CHUNK_ELEMENTS, TensorFile.MAX_MAPPING);
    }

    /** Tests lower the limits to exercise the chunked path on small tensors. */
    Float32Loader(int chunkElements, long maxDirectBytes) {
        if (chunkElements <= 0 || maxDirectBytes <= 0) throw new IllegalArgumentException("limits must be > 0");
        this.chunkElements = chunkElements;
        this.maxDirectBytes = maxDirectBytes;
    }

    NDArray load(StoredTensor tensor, NDManager manager) {
        TensorInfo info = tensor.info();
        TensorDType dtype = info.dtype();
        if (!dtype.isFloatingPoint()) {
            throw new CheckpointException(info.file() + ": tensor '" + info.name() + "' has dtype " + dtype
                    + "; float32 loading reads F32, F16, BF16 and F64 only");
        }
        Shape shape = new Shape(info.shape());
        long bytes = info.byteCount();
        if (bytes == 0) return manager.zeros(shape, DataType.FLOAT32);
        boolean aligned = tensor.offset() % dtype.bytes() == 0;
        if (dtype != TensorDType.BF16 && aligned && bytes <= maxDirectBytes) {
            if (dtype == TensorDType.F32) {
                // The array aliases the mapping, so the mapping must outlive it: retained until close.
                ByteBuffer mapped = tensor.file().mapRetained(tensor.offset(), bytes, info.name());
                return manager.create(mapped, shape, DataType.FLOAT32);
            }
            // The engine copies while converting; afterwards nothing refers to the mapping and the GC may unmap it.
            ByteBuffer mapped = tensor.file().mapTransient(tensor.offset(), bytes, info.name());
            try (NDArray stored = manager.create(mapped, shape, engineType(dtype))) {
                return stored.toType(DataType.FLOAT32, false);
            }
        }
        return loadChunked(tensor, shape, manager);
    }

    private NDArray loadChunked(StoredTensor tensor, Shape shape, NDManager manager) {
        TensorInfo info = tensor.info();
        TensorDType dtype = info.dtype();
        long elements = info.elementCount();
        boolean aligned = tensor.offset() % dtype.bytes() == 0;
        boolean javaDecode = dtype == TensorDType.BF16 || !aligned;
        // Off-heap, sized to the tensor when it is smaller than a chunk: most tensors of a model are.
        ByteBuffer scratch = javaDecode
                ? ByteBuffer.allocateDirect((int) Math.min(chunkElements, elements) * 4).order(ByteOrder.LITTLE_ENDIAN)
                : null;
        NDArray flat = manager.zeros(new Shape(elements), DataType.FLOAT32);
        try {
            for (long start = 0; start < elements; start += chunkElements) {
                int count = (int) Math.min(chunkElements, elements - start);
                ByteBuffer src = tensor.file().mapTransient(
                        tensor.offset() + start * dtype.bytes(), (long) count * dtype.bytes(), info.name());
                NDArray piece;
                if (javaDecode) {
                    scratch.clear();
                    decode(dtype, src, scratch, count);
                    scratch.flip();
                    piece = manager.create(scratch, new Shape(count), DataType.FLOAT32);
                } else if (dtype == TensorDType.F32) {
                    piece = manager.create(src, new Shape(count), DataType.FLOAT32);
                } else {
                    try (NDArray stored = manager.create(src, new Shape(count), engineType(dtype))) {
                        piece = stored.toType(DataType.FLOAT32, false);
                    }
                }
                // The copy into engine memory finishes before the scratch buffer or mapping is reused.
                try (piece) {
                    flat.set(new NDIndex().addSliceDim(start, start + count), piece);
                }
            }
            NDArray shaped = flat.reshape(shape);
            flat.close();
            return shaped;
        } catch (RuntimeException e) {
            flat.close();
            throw e;
        }
    }

    /** Widens or narrows {@code count} little-endian elements of {@code dtype} to float32, in Java. */
    static void decode(TensorDType dtype, ByteBuffer src, ByteBuffer dst, int count) {
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < count; i++) dst.putFloat(src.getFloat());
            }
            case F16 -> {
                for (int i = 0; i < count; i++) dst.putFloat(Float16.toFloat(src.getShort()));
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) dst.putFloat(BFloat16.toFloat(src.getShort()));
            }
            case F64 -> {
                for (int i = 0; i < count; i++) dst.putFloat((float) src.getDouble());
            }
            default -> throw new IllegalArgumentException("not a float type: " + dtype);
        }
    }

    private static DataType engineType(TensorDType dtype) {
        return switch (dtype) {
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case F64 -> DataType.FLOAT64;
            default -> throw new IllegalArgumentException("no engine array of " + dtype + " is ever made");
        };
    }
}
