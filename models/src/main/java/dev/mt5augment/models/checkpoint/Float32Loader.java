package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Turns a stored tensor into a float32 engine array with as little copying and resident memory as
 * the dtype allows:
 * <ul>
 *   <li>F32: the array aliases the file mapping (torch {@code from_blob}), no copy at all; the
 *       mapping's pages are the weights' only copy in memory.</li>
 *   <li>F16, BF16, F64: the engine allocates an uninitialised float32 array, and Java converts the
 *       stored bytes straight into its memory (through {@code toByteBuffer(true)}, which on the CPU is a
 *       view of the tensor's storage), reading the file in small chunks. One float32 copy, nothing
 *       mapped, no temporary arrays; and a BF16 engine array is never made (DJL 0.36 aborts the JVM on
 *       one). The conversions are exact and bit-identical to torch's (tested on every half).</li>
 * </ul>
 * F32 tensors whose bytes are not 4-aligned in the file, or larger than one {@link ByteBuffer}
 * (2 GiB), are copied the same way, and so is every tensor read through {@link #copy}. Data is little-endian on disk and on every platform the engine
 * runs on.
 *
 * <p>Threading: stateless apart from its limits; safe for concurrent use.
 */
final class Float32Loader {

    /** Elements read from the file per step: 1M (2–8 MiB of stored bytes). */
    static final int DEFAULT_READ_ELEMENTS = 1 << 20;
    /** Elements of the engine array written through one view: 256M float32 = 1 GiB, under the 2 GiB buffer limit. */
    static final int DEFAULT_VIEW_ELEMENTS = 256 << 20;

    /** Every half's float value: converting by lookup is exact and faster than decoding the bits. */
    private static final float[] HALF_TO_FLOAT = new float[65536];

    static {
        for (int h = 0; h < 65536; h++) HALF_TO_FLOAT[h] = Float16.toFloat((short) h);
    }

    private final int readElements;
    private final int viewElements;
    private final long maxDirectBytes;
    /**
     * Read buffers, reused: a direct buffer is freed only when the GC runs, which a load barely
     * triggers, so one per tensor would pile up off-heap. At most one per concurrently loading thread.
     */
    private final Queue<ByteBuffer> readBuffers = new ConcurrentLinkedQueue<>();

    Float32Loader() {
        this(DEFAULT_READ_ELEMENTS, DEFAULT_VIEW_ELEMENTS, TensorFile.MAX_MAPPING);
    }

    /** Tests lower the limits to exercise chunking and views on small tensors. */
    Float32Loader(int readElements, int viewElements, long maxDirectBytes) {
        if (readElements <= 0 || viewElements <= 0 || maxDirectBytes <= 0) throw new IllegalArgumentException("limits must be > 0");
        this.readElements = readElements;
        this.viewElements = viewElements;
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
        if (dtype == TensorDType.F32 && tensor.offset() % 4 == 0 && bytes <= maxDirectBytes) {
            // The array aliases the mapping, so the mapping must outlive it: retained until close.
            ByteBuffer mapped = tensor.file().mapRetained(tensor.offset(), bytes, info.name());
            return manager.create(mapped, shape, DataType.FLOAT32);
        }
        return loadConverted(tensor, shape, manager);
    }

    /** Like {@link #load}, but always a private float32 copy read in chunks, never a mapping. */
    NDArray copy(StoredTensor tensor, NDManager manager) {
        TensorInfo info = tensor.info();
        if (!info.dtype().isFloatingPoint()) return load(tensor, manager); // the same error
        Shape shape = new Shape(info.shape());
        if (info.byteCount() == 0) return manager.zeros(shape, DataType.FLOAT32);
        return loadConverted(tensor, shape, manager);
    }

    private NDArray loadConverted(StoredTensor tensor, Shape shape, NDManager manager) {
        TensorInfo info = tensor.info();
        TensorDType dtype = info.dtype();
        long elements = info.elementCount();
        ByteBuffer stored = readBuffers.poll();
        if (stored == null) stored = ByteBuffer.allocateDirect(readElements * 8).order(ByteOrder.LITTLE_ENDIAN);
        NDArray flat = manager.create(new Shape(elements), DataType.FLOAT32); // uninitialised; every element is written
        try {
            for (long viewStart = 0; viewStart < elements; viewStart += viewElements) {
                int viewCount = (int) Math.min(viewElements, elements - viewStart);
                try (NDArray part = viewCount == elements ? null : flat.get(new NDIndex().addSliceDim(viewStart, viewStart + viewCount))) {
                    NDArray target = part == null ? flat : part;
                    FloatBuffer out = target.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    if (out.capacity() != viewCount) throw new IllegalStateException("view has " + out.capacity() + " elements");
                    for (int done = 0; done < viewCount; ) {
                        int count = Math.min(readElements, viewCount - done);
                        stored.clear().limit(count * dtype.bytes());
                        tensor.file().readInto(tensor.offset() + (viewStart + done) * dtype.bytes(), stored, info.name());
                        stored.flip();
                        decode(dtype, stored, out, count);
                        done += count;
                    }
                    checkWrittenThrough(target, out, info);
                }
            }
            NDArray shaped = flat.reshape(shape);
            flat.close();
            return shaped;
        } catch (RuntimeException e) {
            flat.close();
            throw e;
        } finally {
            readBuffers.offer(stored);
        }
    }

    /**
     * The copy is only correct if the buffer was a view of the engine array, not a copy of it: DJL
     * 0.36's PyTorch engine gives a view for a contiguous CPU tensor. Checked on every array (two
     * elements) so an engine that behaves otherwise fails loudly instead of serving garbage.
     */
    private static void checkWrittenThrough(NDArray target, FloatBuffer written, TensorInfo info) {
        long last = target.size() - 1;
        for (long i : new long[] {0, last}) {
            float engine = target.getFloat(i);
            if (Float.floatToRawIntBits(engine) != Float.floatToRawIntBits(written.get((int) i))
                    && !(Float.isNaN(engine) && Float.isNaN(written.get((int) i)))) {
                throw new CheckpointException(info.file() + ": tensor '" + info.name() + "': the engine's toByteBuffer(true)"
                        + " did not return a view of the array, so converted weights cannot be written into it");
            }
        }
    }

    /** Converts {@code count} little-endian elements of {@code dtype} to float32, exactly (F64 rounds to nearest). */
    private static void decode(TensorDType dtype, ByteBuffer src, FloatBuffer dst, int count) {
        switch (dtype) {
            case F32 -> dst.put(src.asFloatBuffer());
            case F16 -> {
                for (int i = 0; i < count; i++) dst.put(HALF_TO_FLOAT[src.getShort() & 0xFFFF]);
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) dst.put(BFloat16.toFloat(src.getShort()));
            }
            case F64 -> {
                for (int i = 0; i < count; i++) dst.put((float) src.getDouble());
            }
            default -> throw new IllegalArgumentException("not a float type: " + dtype);
        }
    }
}
