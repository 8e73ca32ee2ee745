package dev.mt5augment.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites tensors of a checkpoint as a safetensors file of one float type, streaming: each tensor
 * is read in windows of at most {@link #WINDOW_ELEMENTS} elements into one off-heap buffer and
 * converted in Java, so neither the heap nor the engine ever holds a whole model. Conversions are exact widening
 * or round-to-nearest-even narrowing, bit-identical to torch's (an F64 source is narrowed through
 * float32 when written as F16).
 */
public final class SafetensorsConverter {

    /** Elements converted per step: 4 MiB of float32. */
    static final int WINDOW_ELEMENTS = 1 << 20;

    private SafetensorsConverter() {
    }

    /**
     * Writes {@code names} of {@code source} to {@code file} as {@code target} (F32 or F16).
     *
     * @return bytes written
     */
    public static long convert(MappedCheckpoint source, List<String> names, TensorDType target, Path file,
                               Map<String, String> metadata) {
        if (target != TensorDType.F32 && target != TensorDType.F16) {
            throw new IllegalArgumentException("convert writes F32 or F16, not " + target);
        }
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (String name : names) {
            TensorInfo info = source.info(name);
            if (!info.dtype().isFloatingPoint()) {
                throw new CheckpointException(info.file() + ": tensor '" + name + "' has dtype " + info.dtype()
                        + "; only floating-point weights are converted");
            }
            entries.add(new SafetensorsWriter.Entry(name, target, info.shape()));
        }
        SafetensorsWriter writer = SafetensorsWriter.create(file, entries, metadata);
        long bytes = 0;
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(WINDOW_ELEMENTS * target.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer in = ByteBuffer.allocateDirect(WINDOW_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsWriter.Entry e : writer.order()) {
                StoredTensor t = source.stored(e.name());
                TensorDType from = t.info().dtype();
                long elements = t.info().elementCount();
                for (long start = 0; start < elements; start += WINDOW_ELEMENTS) {
                    int count = (int) Math.min(WINDOW_ELEMENTS, elements - start);
                    in.clear().limit(count * from.bytes());
                    t.file().readInto(t.offset() + start * from.bytes(), in, e.name());
                    in.flip();
                    out.clear();
                    convertWindow(from, in, target, out, count);
                    out.flip();
                    bytes += out.remaining();
                    writer.write(out);
                }
            }
            writer.close();
            return bytes;
        } catch (RuntimeException ex) {
            writer.abort();
            throw ex;
        }
    }

    private static void convertWindow(TensorDType from, ByteBuffer in, TensorDType to, ByteBuffer out, int count) {
        if (from == to) {
            out.put(in);
            return;
        }
        for (int i = 0; i < count; i++) {
            float v = switch (from) {
                case F32 -> in.getFloat();
                case F16 -> Float16.toFloat(in.getShort());
                case BF16 -> BFloat16.toFloat(in.getShort());
                case F64 -> (float) in.getDouble();
                default -> throw new IllegalArgumentException(from.name());
            };
            if (to == TensorDType.F32) {
                out.putFloat(v);
            } else {
                out.putShort(Float16.fromFloat(v));
            }
        }
    }
}
