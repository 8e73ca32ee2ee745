package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java half-precision conversions agree bit for bit with torch's, on every half and on many floats. */
class HalfPrecisionTest {

    @Test
    void widensEveryHalfExactlyAsTheEngineDoes() {
        ByteBuffer halves = ByteBuffer.allocateDirect(65536 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) halves.putShort((short) h);
        halves.flip();
        try (NDManager m = NDManager.newBaseManager();
             NDArray f16 = m.create(halves, new Shape(65536), DataType.FLOAT16)) {
            float[] engine = f16.toType(DataType.FLOAT32, false).toFloatArray();
            for (int h = 0; h < 65536; h++) {
                float java = Float16.toFloat((short) h);
                if (Float.isNaN(engine[h])) {
                    assertEquals(true, Float.isNaN(java), "half " + Integer.toHexString(h));
                } else {
                    assertEquals(Float.floatToRawIntBits(engine[h]), Float.floatToRawIntBits(java), "half " + Integer.toHexString(h));
                }
            }
        }
    }

    @Test
    void roundsFloatsToHalfExactlyAsTheEngineDoes() {
        int n = 1 << 20;
        float[] values = new float[n];
        SplittableRandom random = new SplittableRandom(7);
        float[] edges = {0f, -0f, 65504f, 65519.99f, 65520f, -65520f, 1e9f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, 0x1p-14f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-26f, 0x1.ffcp-15f, 1.0009765625f,
                1.00048828125f, 1.00146484375f, 2049f, 2051f};
        System.arraycopy(edges, 0, values, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            // Random bit patterns over the half range and beyond, plus tie cases (13 low bits = 0x1000).
            int bits = random.nextInt(0x7F800000);
            if (i % 4 == 0) bits = (bits & ~0x1FFF) | 0x1000;
            values[i] = Float.intBitsToFloat(bits | (random.nextBoolean() ? 0x80000000 : 0));
        }
        try (NDManager m = NDManager.newBaseManager(); NDArray f = m.create(values)) {
            ByteBuffer engine = f.toType(DataType.FLOAT16, false).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                short e = engine.getShort();
                assertEquals(Integer.toHexString(e & 0xFFFF), Integer.toHexString(Float16.fromFloat(values[i]) & 0xFFFF),
                        "float " + values[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(values[i])) + ")");
            }
        }
    }

    @Test
    void bfloat16IsTheTopHalfOfAFloat() {
        assertEquals(1f, BFloat16.toFloat((short) 0x3F80));
        assertEquals(-5f, BFloat16.toFloat((short) 0xC0A0));
        assertEquals(Float.NEGATIVE_INFINITY, BFloat16.toFloat((short) 0xFF80));
        assertEquals((short) 0x3F80, BFloat16.fromFloat(1.00390625f)); // tie rounds to even
        assertEquals((short) 0x3F82, BFloat16.fromFloat(1.01171875f)); // tie rounds up to even
        assertEquals((short) 0x7FC0, BFloat16.fromFloat(Float.NaN));
        for (int bits = 0; bits < 65536; bits++) {
            float f = BFloat16.toFloat((short) bits);
            if (!Float.isNaN(f)) assertEquals((short) bits, BFloat16.fromFloat(f));
        }
    }
}
