package dev.mt5augment.models.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lies and what it is.
 *
 * @param name   the state-dict key
 * @param dtype  element type as stored
 * @param shape  dimensions, outermost first
 * @param file   the file that holds its bytes
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, Path file) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public long byteCount() {
        return Math.multiplyExact(elementCount(), dtype.bytes());
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
