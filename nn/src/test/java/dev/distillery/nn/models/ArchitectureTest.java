package dev.distillery.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;
import dev.distillery.autograd.ScalarBackendExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default configs are W2's and W3's networks layer for layer: the same parameter names, in
 * the same order, with the same shapes as the PyTorch modules' state dicts (dumped from
 * w2_mlp.py / w3_unet.py into test resources).
 */
@ExtendWith(ScalarBackendExtension.class)
class ArchitectureTest {

    @Test
    void mlpDefaultsMatchW2StateDictAndParameterCount() throws IOException {
        MlpDenoiser net = MlpConfig.w2().build();
        assertEquals(165_634, net.parameterCount());
        assertEquals(reference("w2_mlp_state_dict.txt"), describe(net));
    }

    @Test
    void unetDefaultsMatchW3StateDict() throws IOException {
        UNet net = UNetConfig.w3().build();
        assertEquals(reference("w3_unet_state_dict.txt"), describe(net));
        assertEquals(930_177, net.parameterCount());
    }

    @Test
    void unetOutputHasImageShape() {
        UNet net = UNetConfig.w3().build();
        Tensor x = Tensor.randn(net.config().dtype(), 1, 0, 2, 1, 8, 8);
        Tensor t = Tensor.of(net.config().dtype(), new double[] {3, 700}, 2);
        assertEquals(x.shape(), net.forward(x, t).shape());
    }

    static List<String> describe(Module m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            out.add(e.getKey() + " " + Arrays.toString(e.getValue().shape().dims()).replaceAll("[\\[\\] ]", ""));
        }
        return out;
    }

    static List<String> reference(String name) throws IOException {
        try (var in = ArchitectureTest.class.getResourceAsStream(name);
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
