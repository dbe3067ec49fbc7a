package dev.distillery.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The PTX modules shipped as resources under {@code dev/distillery/gpu/ptx/} and the kernels each
 * must define. PTX (not a cubin) is shipped so the driver JIT-compiles it for whatever GPU is
 * present; the committed files target compute_75, the oldest architecture nvcc 13 emits.
 */
final class Ptx {
    /** Classpath folder of the modules. */
    static final String FOLDER = "/dev/distillery/gpu/ptx/";

    /** Module name (the .cu file name) to the entry points the backend launches from it. */
    static final Map<String, List<String>> KERNELS = Map.of(
            "elementwise", List.of("fill_f32", "fill_f64", "cast_f32_f64", "cast_f64_f32", "unary_f32",
                    "unary_f64", "binary_f32", "binary_f64", "where_f32_c32", "where_f32_c64", "where_f64_c32",
                    "where_f64_c64"),
            "reduce", List.of("reduce_block_f32", "reduce_block_f64", "reduce_thread_f32", "reduce_thread_f64"),
            "movement", List.of("copy_f32", "copy_f64", "copy_seq_f32", "copy_seq_f64", "index_select_f32",
                    "index_select_f64", "index_add_f32", "index_add_f64", "im2col_f32", "im2col_f64", "col2im_f32",
                    "col2im_f64"),
            "gemm", List.of("gemm_f32", "gemm_f64"),
            "random", List.of("random_f32", "random_f64"));

    private Ptx() {
    }

    /** The text of one module; a missing resource is a packaging bug, reported as such. */
    static String load(String module) {
        String path = FOLDER + module + ".ptx";
        try (InputStream in = Ptx.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + path + " is missing from the distillery-gpu jar;"
                        + " rebuild it with: bash gpu/src/main/cuda/build-ptx.sh "
                        + "gpu/src/main/resources/dev/distillery/gpu/ptx");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read PTX resource " + path + ": " + e.getMessage(), e);
        }
    }

    /** The module that defines a kernel. */
    static String moduleOf(String kernel) {
        for (Map.Entry<String, List<String>> e : KERNELS.entrySet()) {
            if (e.getValue().contains(kernel)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no PTX module defines kernel " + kernel);
    }
}
