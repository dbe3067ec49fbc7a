package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.backend.BackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Discovery and the unavailable reason, which must be one line and never an exception. */
class CudaBackendProviderTest {

    static boolean driverLibraryPresent() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/cuda/compat",
                "/usr/lib/wsl/lib")) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        String ld = System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
        for (String dir : ld.split(":")) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void serviceLoaderFindsTheCudaProvider() {
        boolean found = ServiceLoader.load(BackendProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("cuda"));
        assertTrue(found, "META-INF/services registers CudaBackendProvider");
    }

    @Test
    void reasonIsStableOneLineAndNeverThrows() {
        CudaBackendProvider p = new CudaBackendProvider();
        Optional<String> first = p.unavailableReason();
        assertEquals(first, p.unavailableReason(), "cheap and stable when called twice");
        first.ifPresent(r -> {
            assertFalse(r.contains("\n"), "one line: " + r);
            assertTrue(r.startsWith("CUDA backend unavailable: "), r);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.create(1));
            assertEquals(r, e.getMessage());
        });
    }

    @Test
    void withoutTheDriverTheReasonNamesLibcudaAndTheFix() {
        Assumptions.assumeFalse(driverLibraryPresent(), "libcuda.so.1 is present: the no-driver path is not exercised");
        assertEquals(Optional.of("CUDA backend unavailable: no NVIDIA driver (libcuda.so.1 not found); install the "
                + "driver or use the simd backend"), new CudaBackendProvider().unavailableReason());
    }

    @Test
    void reasonsForOtherFailuresNameTheFix() {
        assertTrue(CudaContext.reason(new jcuda.CudaException("CUDA_ERROR_NO_DEVICE")).contains("no CUDA device found"));
        assertTrue(CudaContext.reason(new jcuda.CudaException("CUDA_ERROR_INSUFFICIENT_DRIVER"))
                .contains("update the driver"));
        assertTrue(CudaContext.reason(new UnsatisfiedLinkError("no JCudaDriver-12.6.0-linux-aarch64 in path"))
                .contains("jcuda-natives"));
        assertFalse(CudaContext.reason(new RuntimeException("a\nb")).contains("\n"));
    }
}
