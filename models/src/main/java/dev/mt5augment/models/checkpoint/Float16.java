package dev.mt5augment.models.checkpoint;

/**
 * IEEE 754 binary16 ("half") to and from float32, bit-exact as torch converts them (Java 17 has no
 * {@code Float.float16ToFloat}).
 */
public final class Float16 {

    private Float16() {
    }

    /** The float32 value of the half with these bits; exact (every half is a float). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            // Inf keeps a zero mantissa; NaN keeps its payload in the top mantissa bits, as torch does.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) return Float.intBitsToFloat(sign);
            // Subnormal: mantissa * 2^-24, exact in float32.
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The nearest half to {@code value}, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int abs = f & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            // Inf, or torch's canonical quiet NaN.
            return (short) (sign | (abs > 0x7F800000 ? 0x7E00 : 0x7C00));
        }
        if (abs >= 0x477FF000) {
            // 65520 and above round to infinity.
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x38800000) {
            // Below the smallest normal half 2^-14: the result is subnormal (or zero). Scaling by 2^24 makes
            // the wanted integer mantissa; float rounding of the addition below is ties-to-even.
            float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
            int m = (int) Math.rint(scaled);
            return (short) (sign | m);
        }
        // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest even.
        int rebased = abs - (112 << 23);
        int lsb = (rebased >>> 13) & 1;
        int rounded = rebased + 0xFFF + lsb;
        return (short) (sign | (rounded >>> 13));
    }
}
