package dev.distillery.autograd.io;

import static dev.distillery.autograd.io.SafetensorsBytes.file;
import static dev.distillery.autograd.io.SafetensorsBytes.shorts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** F16 and BF16 files written by hand with known bit patterns widen exactly to float. */
class SafetensorsHalfPrecisionTest {

    @Test
    void f16KnownBitPatternsWidenExactly() throws Exception {
        // 1.0, -2.0, 0.5, +inf, -inf, smallest subnormal 2^-24, largest subnormal, max 65504, -0.
        int[] bits = {0x3C00, 0xC000, 0x3800, 0x7C00, 0xFC00, 0x0001, 0x03FF, 0x7BFF, 0x8000};
        float[] expected = {1f, -2f, 0.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p-24f,
            1023 * 0x1p-24f, 65504f, -0.0f};
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[9],\"data_offsets\":[0,18]}}";
        SafetensorsTensor t = SafetensorsReader.read(file(header, shorts(bits))).get("h");
        assertEquals("F16", t.dtype());
        assertArrayEquals(expected, t.floats());
    }

    @Test
    void f16NanStaysNan() throws Exception {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]}}";
        float v = SafetensorsReader.read(file(header, shorts(0x7E00))).get("h").floats()[0];
        assertEquals(true, Float.isNaN(v));
    }

    @Test
    void everyF16PatternWidensToTheValueItEncodes() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int e = (bits >>> 10) & 0x1F;
            int f = bits & 0x3FF;
            double magnitude = e == 0 ? f * 0x1p-24 : e == 31 ? (f == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : Math.scalb(1.0 + f / 1024.0, e - 15);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals((float) expected, SafetensorsDtype.halfToFloat(bits), "bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void bf16KnownBitPatternsWidenExactly() throws Exception {
        // 1.0, -2.0, 0.5, +inf, smallest subnormal 2^-133, pi rounded to bf16 (0x4049 = 3.140625).
        int[] bits = {0x3F80, 0xC000, 0x3F00, 0x7F80, 0x0001, 0x4049};
        float[] expected = {1f, -2f, 0.5f, Float.POSITIVE_INFINITY, 0x1p-133f, 3.140625f};
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,12]}}    ";
        SafetensorsFile f = SafetensorsReader.read(file(header, shorts(bits)));
        assertArrayEquals(expected, f.get("b").floats());
        assertArrayEquals(new long[] {2, 3}, f.get("b").shape());
        assertEquals("pt", f.metadata().get("format"));
    }
}
