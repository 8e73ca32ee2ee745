package dev.mt5augment.models.checkpoint;

/**
 * bfloat16 is the top half of a float32, so widening is a shift. Done in Java because DJL 0.36's
 * PyTorch engine aborts the JVM on any BF16 array.
 */
public final class BFloat16 {

    private BFloat16() {
    }

    /** The float32 value of the bfloat16 with these bits; exact. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The nearest bfloat16 to {@code value}, ties to even; NaN stays NaN. */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7FFFFFFF) > 0x7F800000) return (short) 0x7FC0; // torch's canonical NaN
        int lsb = (f >>> 16) & 1;
        return (short) ((f + 0x7FFF + lsb) >>> 16);
    }
}
