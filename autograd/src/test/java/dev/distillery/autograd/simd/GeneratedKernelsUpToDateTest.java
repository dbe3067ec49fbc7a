package dev.distillery.autograd.simd;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The committed F32 kernels are exactly what the generator makes of the F64 source. */
class GeneratedKernelsUpToDateTest {

    @ParameterizedTest
    @FieldSource("dev.distillery.autograd.simd.GenerateF32Kernels#SOURCES")
    void committedF32KernelsMatchTheGeneratorOutput(String source) throws IOException {
        Path dir = GenerateF32Kernels.moduleDir().resolve(GenerateF32Kernels.PACKAGE_DIR);
        String f64 = Files.readString(dir.resolve(source + ".java"), StandardCharsets.UTF_8);
        String target = GenerateF32Kernels.target(source);
        String committed = Files.readString(dir.resolve(target), StandardCharsets.UTF_8)
                .replace("\r\n", "\n");
        String expected = GenerateF32Kernels.generate(source, f64);
        if (!expected.equals(committed)) {
            String[] e = expected.split("\n", -1);
            String[] c = committed.split("\n", -1);
            int line = 0;
            while (line < Math.min(e.length, c.length) && e[line].equals(c[line])) {
                line++;
            }
            fail(target + " is stale (first difference at line " + (line + 1) + ": expected '"
                    + (line < e.length ? e[line] : "<end>") + "', found '" + (line < c.length ? c[line] : "<end>")
                    + "'). Regenerate from the repository root after a test-compile:\n  "
                    + GenerateF32Kernels.COMMAND);
        }
    }
}
