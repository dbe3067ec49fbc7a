package dev.distillery.autograd.io;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors to and from safetensors files, in PyTorch's layout (row-major, little-endian).
 * Tensors here are F32 or F64: F32 and F64 are stored as such unless another file dtype is asked
 * for ({@link #save(Path, Map, Map, Map)}: F16/BF16 rounded to nearest-even as torch's
 * {@code .half()}/{@code .bfloat16()}, or an integer type for integer values); F16 and BF16 files
 * load widened to F32, integer and BOOL tensors (e.g. BatchNorm's {@code num_batches_tracked})
 * load as F64 holding the same integers.
 */
public final class TensorFiles {
    /** Integers up to 2^53 in magnitude are exact in F64. */
    private static final long EXACT_IN_F64 = 1L << 53;

    private TensorFiles() {
    }

    /** Writes the tensors (in map order) atomically, each in its own dtype: temp file, fsync, rename. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        save(file, tensors, metadata, Map.of());
    }

    /**
     * Writes the tensors (in map order) atomically, tensor {@code name} in file dtype
     * {@code storedAs.get(name)} where given (a floating type: rounded to nearest-even; an integer
     * type or BOOL: the values must be integers in its range), else in its own dtype.
     *
     * @throws IllegalArgumentException naming the tensor if its values do not fit the asked type
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                            Map<String, SafetensorsDtype> storedAs) throws IOException {
        List<SafetensorsTensor> list = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long[] shape = new long[t.rank()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = t.dim(d);
            }
            SafetensorsDtype as = storedAs.get(e.getKey());
            SafetensorsTensor st;
            if (as != null && as.holding() == SafetensorsDtype.Holding.LONGS) {
                st = SafetensorsTensor.ofLongs(e.getKey(), as, shape, integers(e.getKey(), t.toDoubleArray()));
            } else {
                st = t.dtype() == DType.F32 ? SafetensorsTensor.ofFloats(e.getKey(), shape, t.toFloatArray())
                        : SafetensorsTensor.ofDoubles(e.getKey(), shape, t.toDoubleArray());
                st = as == null ? st : st.storedAs(as);
            }
            list.add(st);
        }
        SafetensorsWriter.write(file, list, metadata);
    }

    private static long[] integers(String name, double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > EXACT_IN_F64) {
                throw new IllegalArgumentException("tensor '" + name + "' element " + i + " = " + v[i]
                        + " is not an integer; only integer values can be stored as an integer type");
            }
            out[i] = (long) v[i];
        }
        return out;
    }

    /**
     * Reads every tensor of a file onto the current backend, in header order; validates the whole
     * header before allocating anything, and converts one tensor at a time so no more than the
     * largest is held twice.
     *
     * @throws SafetensorsException if the file breaks the format, or holds a tensor a
     *                              {@link Tensor} cannot represent (a dimension or element count
     *                              beyond {@code int}, an integer beyond 2^53); never another
     *                              exception for any content
     * @throws IOException          if the file cannot be read
     */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        SafetensorsReader.forEach(file, st -> out.put(st.name(), toTensor(st)));
        return out;
    }

    /**
     * Reads every tensor of a safetensors file held in memory (a resource, say), with the checks
     * and conversions of {@link #load(Path)}.
     *
     * @throws SafetensorsException if the bytes break the format or hold a tensor a {@link Tensor}
     *                              cannot represent
     */
    public static LinkedHashMap<String, Tensor> load(byte[] file) throws SafetensorsException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (SafetensorsTensor st : SafetensorsReader.read(file).tensors().values()) {
            out.put(st.name(), toTensor(st));
        }
        return out;
    }

    /** One file tensor as an engine tensor: F64 as F64, the float types as F32, integers as F64. */
    static Tensor toTensor(SafetensorsTensor st) throws SafetensorsException {
        int[] dims = intDims(st.name(), st.shape());
        if (st.isIntegral()) {
            for (long v : st.longs()) {
                if (Math.abs(v) > EXACT_IN_F64) {
                    throw new SafetensorsException("tensor " + Json.string(st.name()) + " (" + st.dtype() + ") holds " + v
                            + ", beyond 2^53: tensors here are F32/F64 and could not hold it exactly");
                }
            }
        }
        try {
            if (st.isIntegral()) {
                return Tensor.of(DType.F64, st.toDoubles(), dims);
            }
            return st.isDouble() ? Tensor.of(DType.F64, st.doubles(), dims) : Tensor.of(st.floats(), dims);
        } catch (IllegalArgumentException tooLarge) {
            // a zero-element tensor such as [2^30, 2^30, 0] is valid safetensors, but Shape
            // refuses products over 2^31 - 1 on the way to the zero
            throw new SafetensorsException("tensor " + Json.string(st.name()) + ": shape "
                    + Arrays.toString(st.shape()) + " cannot be held by a Tensor: " + tooLarge.getMessage());
        }
    }

    /** The shape as {@code int}s, read once (not once per dimension) and range-checked. */
    private static int[] intDims(String name, long[] shape) throws SafetensorsException {
        int[] dims = new int[shape.length];
        for (int d = 0; d < dims.length; d++) {
            if (shape[d] > Integer.MAX_VALUE) {
                throw new SafetensorsException("tensor " + Json.string(name) + ": dimension " + d + " of shape "
                        + Arrays.toString(shape) + " is " + shape[d] + ", more than a Tensor holds (2^31 - 1)");
            }
            dims[d] = (int) shape[d];
        }
        return dims;
    }

    /** The metadata of a file (header only). */
    public static Map<String, String> metadata(Path file) throws IOException {
        return SafetensorsReader.readHeader(file).metadata();
    }

    /** The file dtype of each tensor, by name in header order (header only). */
    public static LinkedHashMap<String, SafetensorsDtype> dtypes(Path file) throws IOException {
        LinkedHashMap<String, SafetensorsDtype> out = new LinkedHashMap<>();
        SafetensorsReader.readHeader(file).entries().forEach(e -> out.put(e.name(), SafetensorsDtype.valueOf(e.dtype())));
        return out;
    }
}
