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
 * F32 and F64 are stored as such; F16 and BF16 files load widened to F32.
 */
public final class TensorFiles {
    private TensorFiles() {
    }

    /** Writes the tensors (in map order) atomically: temp file, fsync, rename. */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<SafetensorsTensor> list = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long[] shape = new long[t.rank()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = t.dim(d);
            }
            list.add(t.dtype() == DType.F32 ? SafetensorsTensor.ofFloats(e.getKey(), shape, t.toFloatArray())
                    : SafetensorsTensor.ofDoubles(e.getKey(), shape, t.toDoubleArray()));
        }
        SafetensorsWriter.write(file, list, metadata);
    }

    /**
     * Reads every tensor of a file onto the current backend, in header order; validates the whole
     * header before allocating anything.
     *
     * @throws SafetensorsException if the file breaks the format, or holds a tensor a
     *                              {@link Tensor} cannot represent (a dimension or element count
     *                              beyond {@code int}); never another exception for any content
     * @throws IOException          if the file cannot be read
     */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        SafetensorsFile f = SafetensorsReader.read(file);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, SafetensorsTensor> e : f.tensors().entrySet()) {
            SafetensorsTensor st = e.getValue();
            int[] dims = intDims(e.getKey(), st.shape());
            try {
                out.put(e.getKey(), st.isDouble() ? Tensor.of(DType.F64, st.doubles(), dims) : Tensor.of(st.floats(), dims));
            } catch (IllegalArgumentException tooLarge) {
                // a zero-element tensor such as [2^30, 2^30, 0] is valid safetensors, but Shape
                // refuses products over 2^31 - 1 on the way to the zero
                throw new SafetensorsException("tensor " + Json.quote(e.getKey()) + ": shape "
                        + Arrays.toString(st.shape()) + " cannot be held by a Tensor: " + tooLarge.getMessage());
            }
        }
        return out;
    }

    /** The shape as {@code int}s, read once (not once per dimension) and range-checked. */
    private static int[] intDims(String name, long[] shape) throws SafetensorsException {
        int[] dims = new int[shape.length];
        for (int d = 0; d < dims.length; d++) {
            if (shape[d] > Integer.MAX_VALUE) {
                throw new SafetensorsException("tensor " + Json.quote(name) + ": dimension " + d + " of shape "
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
}
