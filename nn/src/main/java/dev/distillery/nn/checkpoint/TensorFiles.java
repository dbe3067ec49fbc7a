package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.SafetensorsFile;
import dev.distillery.autograd.io.SafetensorsReader;
import dev.distillery.autograd.io.SafetensorsTensor;
import dev.distillery.autograd.io.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors to and from safetensors files, keeping each tensor's dtype (F32 as F32, F64 as
 * F64), so values round-trip bit for bit. F16/BF16 entries (PyTorch exports) load widened to F32.
 */
public final class TensorFiles {
    private TensorFiles() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<SafetensorsTensor> out = new ArrayList<>();
        tensors.forEach((name, t) -> {
            long[] shape = Arrays.stream(t.shape().dims()).asLongStream().toArray();
            out.add(t.dtype() == DType.F64 ? SafetensorsTensor.ofDoubles(name, shape, t.toDoubleArray())
                    : SafetensorsTensor.ofFloats(name, shape, t.toFloatArray()));
        });
        SafetensorsWriter.write(file, out, metadata);
    }

    public static LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        SafetensorsFile f = SafetensorsReader.read(file);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        f.tensors().forEach((name, st) -> {
            int[] dims = Arrays.stream(st.shape()).mapToInt(Math::toIntExact).toArray();
            out.put(name, st.isDouble() ? Tensor.of(DType.F64, st.doubles(), dims) : Tensor.of(st.floats(), dims));
        });
        return out;
    }
}
