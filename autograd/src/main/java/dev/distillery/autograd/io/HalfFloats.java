package dev.distillery.autograd.io;

/**
 * The two 16-bit float formats of safetensors files, IEEE binary16 ({@code F16}: 1 sign, 5
 * exponent, 10 fraction bits) and bfloat16 ({@code BF16}: the top half of a binary32, 8 exponent
 * and 7 fraction bits): exact widening, and narrowing with round-to-nearest-even as PyTorch's
 * {@code .half()} and {@code .bfloat16()} round (overflow to infinity, NaN to a quiet NaN).
 */
final class HalfFloats {
    private static final double F16_MAX = 65504.0;
    private static final double BF16_MAX = 0x1.FEp127;

    private HalfFloats() {
    }

    /**
     * Widens binary16 bits exactly: normal {@code (-1)^s 2^(e-15) (1 + f/1024)} moves to the
     * binary32 exponent {@code e + 112}; subnormal {@code (-1)^s f 2^-24}; e = 31 is infinity or
     * NaN (payload kept).
     */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
        }
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }

    /** Widens bfloat16 bits exactly: they are the high half of the binary32 encoding. */
    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** x rounded to binary16 (nearest, ties to even), as its 16 bits. */
    static short toHalf(double x) {
        double r = round(x, 11, -14, F16_MAX);
        int sign = (Double.doubleToRawLongBits(r) < 0) ? 0x8000 : 0;
        double a = Math.abs(r);
        if (Double.isNaN(r)) {
            return (short) 0x7E00;
        }
        if (Double.isInfinite(r)) {
            return (short) (sign | 0x7C00);
        }
        int e = Math.getExponent(a);
        if (a == 0 || e < -14) {
            return (short) (sign | (int) (a * 0x1p24));                          // subnormal: f 2^-24
        }
        return (short) (sign | ((e + 15) << 10) | ((int) Math.scalb(a, 10 - e) - 1024));
    }

    /** x rounded to bfloat16 (nearest, ties to even), as its 16 bits. */
    static short toBfloat16(double x) {
        double r = round(x, 8, -126, BF16_MAX);
        if (Double.isNaN(r)) {
            return (short) 0x7FC0;
        }
        return (short) (Float.floatToRawIntBits((float) r) >>> 16);                 // r is a float exactly
    }

    /**
     * x rounded to the nearest number with {@code precision} significant bits whose exponent is at
     * least {@code minExponent} (so subnormals keep the quantum {@code 2^(minExponent-precision+1)}),
     * ties to even ({@link Math#rint}); beyond {@code max} it is infinity. The scaling by a power
     * of two is exact, so this is one correct rounding.
     */
    static double round(double x, int precision, int minExponent, double max) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return x;
        }
        int e = Math.max(Math.getExponent(x), minExponent);
        double r = Math.scalb(Math.rint(Math.scalb(x, precision - 1 - e)), e - (precision - 1));
        return Math.abs(r) > max ? Math.copySign(Double.POSITIVE_INFINITY, x) : r;
    }
}
