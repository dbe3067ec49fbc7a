package dev.distillery.autograd.io;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Reads every tensor of a file onto the current backend, in header order; validates before allocating. */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        SafetensorsFile f = SafetensorsReader.read(file);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, SafetensorsTensor> e : f.tensors().entrySet()) {
            SafetensorsTensor st = e.getValue();
            int[] dims = new int[st.shape().length];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = Math.toIntExact(st.shape()[d]);
            }
            out.put(e.getKey(), st.isDouble() ? Tensor.of(DType.F64, st.doubles(), dims) : Tensor.of(st.floats(), dims));
        }
        return out;
    }

    /** The metadata of a file (header only). */
    public static Map<String, String> metadata(Path file) throws IOException {
        return SafetensorsReader.readHeader(file).metadata();
    }
}
