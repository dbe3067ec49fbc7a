package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.UnaryKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java side passes enum ordinals to the kernels; the CUDA enums in common.cuh must list the
 * same constants in the same order (with their C prefix), or a kernel silently computes another
 * function.
 */
class KernelEnumSyncTest {
    static final Path COMMON = Path.of("src/main/cuda/common.cuh");

    static List<String> cudaEnum(String source, String name, String prefix) {
        Matcher m = Pattern.compile("enum " + name + "\\s*\\{([^}]*)\\}").matcher(source);
        assertTrue(m.find(), "enum " + name + " in common.cuh");
        return Arrays.stream(m.group(1).split(","))
                .map(String::strip)
                .map(s -> s.startsWith(prefix) ? s.substring(prefix.length()) : "?" + s)
                .toList();
    }

    static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    @Test
    void cudaEnumsMirrorTheJavaEnumsByOrdinal() throws IOException {
        String src = Files.readString(COMMON);
        assertEquals(names(UnaryKernel.values()), cudaEnum(src, "UnaryOp", "U_"));
        assertEquals(names(BinaryKernel.values()), cudaEnum(src, "BinaryOp", "B_"));
        assertEquals(names(ReduceKernel.values()), cudaEnum(src, "ReduceOp", "R_"));
        assertEquals(names(RandomKind.values()), cudaEnum(src, "RandomOp", "RND_"));
    }

    @Test
    void structSizesMatchThePackers() throws IOException {
        String src = Files.readString(COMMON);
        assertTrue(src.contains("#define MAX_RANK " + PlanPacking.MAX_RANK + "\n"), "MAX_RANK");
        String red = Files.readString(Path.of("src/main/cuda/reduce.cu"));
        assertTrue(red.contains("#define REDUCE_THREADS " + LaunchConfig.REDUCE_THREADS + "\n"));
        String gemm = Files.readString(Path.of("src/main/cuda/gemm.cu"));
        assertTrue(gemm.contains("#define TILE_M " + LaunchConfig.GEMM_TILE + "\n"));
        assertTrue(gemm.contains("#define TILE_N " + LaunchConfig.GEMM_TILE + "\n"));
        assertTrue(gemm.contains("#define GEMM_THREADS " + LaunchConfig.GEMM_THREADS + "  "));
    }
}
