package dev.distillery.autograd.io;

import static dev.distillery.autograd.io.SafetensorsBytes.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dtype of the format that PyTorch writes: integer and BOOL tensors byte for byte, the
 * 16-bit floats' round-to-nearest-even narrowing at known points (IEEE 754-2008 binary16 and
 * bfloat16 limits and ties), and loading into F32/F64 tensors.
 */
class SafetensorsDtypesTest {
    @TempDir
    Path tmp;

    private static SafetensorsTensor only(byte[] bytes) throws SafetensorsException {
        return SafetensorsReader.read(bytes).tensors().values().iterator().next();
    }

    @Test
    void integerAndBoolTensorsRoundTripAtTheirLimits() throws SafetensorsException {
        Object[][] cases = {
            {SafetensorsDtype.I64, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}},
            {SafetensorsDtype.I32, new long[] {Integer.MIN_VALUE, -1, 7, Integer.MAX_VALUE}},
            {SafetensorsDtype.I16, new long[] {Short.MIN_VALUE, -2, 3, Short.MAX_VALUE}},
            {SafetensorsDtype.I8, new long[] {-128, -1, 1, 127}},
            {SafetensorsDtype.U8, new long[] {0, 1, 128, 255}},
            {SafetensorsDtype.U16, new long[] {0, 1, 0x8000, 0xFFFF}},
            {SafetensorsDtype.U32, new long[] {0, 1, 0x80000000L, 0xFFFFFFFFL}},
            {SafetensorsDtype.BOOL, new long[] {0, 1, 1, 0}}};
        List<SafetensorsTensor> all = new ArrayList<>();
        for (Object[] c : cases) {
            all.add(SafetensorsTensor.ofLongs(c[0].toString(), (SafetensorsDtype) c[0], new long[] {2, 2}, (long[]) c[1]));
        }
        SafetensorsFile back = SafetensorsReader.read(SafetensorsWriter.toBytes(all, Map.of()));
        for (Object[] c : cases) {
            SafetensorsTensor t = back.get(c[0].toString());
            assertEquals(c[0].toString(), t.dtype());
            assertArrayEquals((long[]) c[1], t.longs(), t.dtype());
        }
    }

    @Test
    void integerBytesAreLittleEndianTwosComplement() {
        byte[] i16 = SafetensorsWriter.toBytes(List.of(SafetensorsTensor.ofLongs("w", SafetensorsDtype.I16,
                new long[] {2}, new long[] {-2, 258})), Map.of());
        byte[] data = java.util.Arrays.copyOfRange(i16, i16.length - 4, i16.length);
        assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x02, 0x01}, data);
    }

    @Test
    void aBoolByteOtherThanOneReadsAsTrue() throws SafetensorsException {
        SafetensorsTensor t = only(file("{\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}",
                new byte[] {0, 1, 7}));
        assertArrayEquals(new long[] {0, 1, 1}, t.longs());
    }

    @Test
    void valuesOutsideAnIntegerTypeAreRefusedOnWrite() {
        SafetensorsTensor t = SafetensorsTensor.ofLongs("w", SafetensorsDtype.U8, new long[] {1}, new long[] {256});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.toBytes(List.of(t), Map.of()));
        assertTrue(e.getMessage().contains("256 does not fit U8"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsTensor.ofFloats("f", new long[] {1}, new float[] {1f}).storedAs(SafetensorsDtype.I32));
    }

    @Test
    void float16NarrowingRoundsToNearestEven() {
        assertEquals(0x3C00, HalfFloats.toHalf(1.0) & 0xFFFF);
        assertEquals(0x3C00, HalfFloats.toHalf(1 + 0x1p-11) & 0xFFFF);          // tie between 1 and 1 + 2^-10: even
        assertEquals(0x3C02, HalfFloats.toHalf(1 + 3 * 0x1p-11) & 0xFFFF);      // tie: up to the even 1 + 2^-9
        assertEquals(0x3C01, HalfFloats.toHalf(1 + 0x1p-11 + 0x1p-30) & 0xFFFF); // just above the tie
        assertEquals(0x7BFF, HalfFloats.toHalf(65504.0) & 0xFFFF);              // the largest finite
        assertEquals(0x7BFF, HalfFloats.toHalf(65519.99) & 0xFFFF);
        assertEquals(0x7C00, HalfFloats.toHalf(65520.0) & 0xFFFF);              // tie to the even 2^16: infinity
        assertEquals(0xFC00, HalfFloats.toHalf(Double.NEGATIVE_INFINITY) & 0xFFFF);
        assertEquals(0x0001, HalfFloats.toHalf(0x1p-24) & 0xFFFF);              // the smallest subnormal
        assertEquals(0x0000, HalfFloats.toHalf(0x1p-25) & 0xFFFF);              // tie between 0 and 2^-24: even
        assertEquals(0x0001, HalfFloats.toHalf(3 * 0x1p-26) & 0xFFFF);
        assertEquals(0x0400, HalfFloats.toHalf(0x1p-14 - 0x1p-26) & 0xFFFF);    // rounds up into the normals
        assertEquals(0x8000, HalfFloats.toHalf(-0.0) & 0xFFFF);
        assertEquals(0x7E00, HalfFloats.toHalf(Double.NaN) & 0xFFFF);
        for (int bits = 0; bits < 0x10000; bits++) {                              // every non-NaN half round-trips
            float f = HalfFloats.halfToFloat(bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, HalfFloats.toHalf(f) & 0xFFFF, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void bfloat16NarrowingRoundsToNearestEven() {
        assertEquals(0x3F80, HalfFloats.toBfloat16(1.0) & 0xFFFF);
        assertEquals(0x3F80, HalfFloats.toBfloat16(1 + 0x1p-8) & 0xFFFF);       // tie: even
        assertEquals(0x3F82, HalfFloats.toBfloat16(1 + 3 * 0x1p-8) & 0xFFFF);   // tie: up to even
        assertEquals(0x7F7F, HalfFloats.toBfloat16(0x1.FEp127) & 0xFFFF);       // the largest finite
        assertEquals(0x7F80, HalfFloats.toBfloat16(0x1.FFp127) & 0xFFFF);       // tie to 2^128: infinity
        assertEquals(0x0001, HalfFloats.toBfloat16(0x1p-133) & 0xFFFF);         // the smallest subnormal
        assertEquals(0x7FC0, HalfFloats.toBfloat16(Double.NaN) & 0xFFFF);
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.bfloat16ToFloat(bits);
            if (!Float.isNaN(f)) {
                assertEquals(bits, HalfFloats.toBfloat16(f) & 0xFFFF, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void tensorsSaveAsF16AndBf16AndLoadWidened() throws IOException {
        try (Backends.Scope ignored = Backends.use(Backends.scalar())) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("h", Tensor.of(new float[] {1f, 1 + 0x1p-11f, 65520f}, 3));
            m.put("b", Tensor.of(DType.F64, new double[] {1 + 3 * 0x1p-8, -2.5}, 2));
            Path f = tmp.resolve("half.safetensors");
            TensorFiles.save(f, m, Map.of(), Map.of("h", SafetensorsDtype.F16, "b", SafetensorsDtype.BF16));
            assertEquals(Map.of("h", SafetensorsDtype.F16, "b", SafetensorsDtype.BF16), TensorFiles.dtypes(f));
            Map<String, Tensor> back = TensorFiles.load(f);
            assertEquals(DType.F32, back.get("h").dtype());
            assertArrayEquals(new double[] {1, 1, Double.POSITIVE_INFINITY}, back.get("h").toDoubleArray(), 0.0);
            assertArrayEquals(new double[] {1 + 2 * 0x1p-7, -2.5}, back.get("b").toDoubleArray(), 0.0);
        }
    }

    @Test
    void aFloatCheckpointWithAnIntegerBufferLoadsTheIntegerAsF64() throws IOException {
        try (Backends.Scope ignored = Backends.use(Backends.scalar())) {
            List<SafetensorsTensor> ts = List.of(
                    SafetensorsTensor.ofFloats("bn.weight", new long[] {2}, new float[] {1f, 2f}),
                    SafetensorsTensor.ofLongs("bn.num_batches_tracked", SafetensorsDtype.I64, new long[0], new long[] {12345}));
            Path f = tmp.resolve("bn.safetensors");
            SafetensorsWriter.write(f, ts, Map.of());
            Map<String, Tensor> back = TensorFiles.load(f);
            assertEquals(DType.F64, back.get("bn.num_batches_tracked").dtype());
            assertEquals(0, back.get("bn.num_batches_tracked").rank());
            assertEquals(12345.0, back.get("bn.num_batches_tracked").item(), 0.0);
            // and back out as I64, as torch wrote it
            Path g = tmp.resolve("bn2.safetensors");
            TensorFiles.save(g, back, Map.of(), Map.of("bn.num_batches_tracked", SafetensorsDtype.I64));
            assertEquals(SafetensorsDtype.I64, TensorFiles.dtypes(g).get("bn.num_batches_tracked"));
            assertEquals(12345L, SafetensorsReader.read(g).get("bn.num_batches_tracked").longs()[0]);
            SafetensorsWriter.write(f, List.of(SafetensorsTensor.ofLongs("big", SafetensorsDtype.I64, new long[] {1},
                    new long[] {(1L << 53) + 1})), Map.of());
            // a value a Tensor cannot hold is a problem of the file, reported as every other one
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorFiles.load(f));
            assertTrue(e.getMessage().contains("beyond 2^53"), e.getMessage());
        }
    }

    @Test
    void forEachHandsOverTensorsOneAtATimeInHeaderOrder() throws IOException {
        Path f = tmp.resolve("order.safetensors");
        SafetensorsWriter.write(f, List.of(SafetensorsTensor.ofFloats("z", new long[] {1}, new float[] {1f}),
                SafetensorsTensor.ofDoubles("a", new long[] {1}, new double[] {2.0})), Map.of("k", "v"));
        List<String> seen = new ArrayList<>();
        Map<String, String> meta = SafetensorsReader.forEach(f, t -> seen.add(t.name() + ":" + t.dtype()));
        assertEquals(List.of("z:F32", "a:F64"), seen);
        assertEquals(Map.of("k", "v"), meta);
    }
}
