package dev.distillery.autograd.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFilesTest {
    @Test
    void roundTripKeepsNamesOrderShapesDtypesAndBits(@TempDir Path dir) throws Exception {
        try (var s = Backends.use(Backends.scalar())) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("down.0.conv1.weight", Tensor.randn(DType.F32, 1, 0, 4, 2, 3, 3));
            in.put("b", Tensor.randn(DType.F64, 2, 0, 5));
            in.put("scalar", Tensor.scalar(3.5, DType.F32));
            Path f = dir.resolve("model.safetensors");
            TensorFiles.save(f, in, Map.of("format", "pt"));
            Map<String, Tensor> out = TensorFiles.load(f);
            assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()));
            for (String k : in.keySet()) {
                assertEquals(in.get(k).shape(), out.get(k).shape(), k);
                assertEquals(in.get(k).dtype(), out.get(k).dtype(), k);
                assertArrayEquals(in.get(k).toDoubleArray(), out.get(k).toDoubleArray(), 0.0, k);
            }
            assertEquals("pt", TensorFiles.metadata(f).get("format"));
        }
    }
}
