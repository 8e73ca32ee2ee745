package dev.mt5augment.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.runtime.TorchRuntime;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearTest {

    @ParameterizedTest(name = "{0} intra-op threads")
    @ValueSource(ints = {1, 2})
    void aRowsResultDoesNotDependOnHowManyRowsShareTheProduct(int threads) {
        TorchRuntime.start(0);
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            Linear linear = new Linear(m.randomNormal(0, 0.05f, new Shape(256, 192), DataType.FLOAT32));
            NDArray x = m.randomNormal(0, 1f, new Shape(40, 192), DataType.FLOAT32);
            float[] reference = linear.apply(x).toFloatArray(); // 40 rows: the main kernel path
            for (int rows = 1; rows <= 20; rows++) {
                for (int offset : new int[] {0, 40 - rows}) {
                    float[] part = linear.apply(x.get(offset + ":" + (offset + rows))).toFloatArray();
                    assertArrayEquals(java.util.Arrays.copyOfRange(reference, offset * 256, (offset + rows) * 256), part,
                            rows + " rows at offset " + offset);
                }
            }
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void threeDimensionalInputsKeepTheirLeadingShape() {
        TorchRuntime.start(0);
        try (NDManager m = NDManager.newBaseManager()) {
            Linear linear = new Linear(m.ones(new Shape(5, 3)));
            NDArray y = linear.apply(m.ones(new Shape(1, 3, 3)));
            assertEquals(new Shape(1, 3, 5), y.getShape());
            assertArrayEquals(new float[] {3, 3, 3, 3, 3}, y.get("0, 0").toFloatArray());
        }
    }

    @Test
    void paddingRowsRoundsSmallCountsUpToFour() {
        assertEquals(3, Linear.paddingRows(1));
        assertEquals(1, Linear.paddingRows(3));
        assertEquals(0, Linear.paddingRows(4));
        assertEquals(2, Linear.paddingRows(10));
        assertEquals(3, Linear.paddingRows(13));
        assertEquals(0, Linear.paddingRows(48));
    }
}
