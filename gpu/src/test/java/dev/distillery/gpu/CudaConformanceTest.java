package dev.distillery.gpu;

import dev.distillery.autograd.backend.Backend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance suite on the CUDA backend. Runs wherever {@link CudaBackendProvider} reports no
 * unavailable reason; elsewhere every test is skipped and the reason (no driver, no device, PTX
 * rejected) is the skip message in the surefire report.
 */
class CudaConformanceTest extends BackendConformance {
    private static Optional<String> reason;
    private static Backend cuda;

    @BeforeAll
    static void openDevice() {
        CudaBackendProvider provider = new CudaBackendProvider();
        reason = provider.unavailableReason();
        if (reason.isPresent()) {
            System.err.println("CudaConformanceTest skipped: " + reason.get());
        } else {
            cuda = provider.create(1);
        }
    }

    /** Per test rather than per class, so each test is reported as skipped with the reason. */
    @BeforeEach
    void requireDevice() {
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }

    @Override
    Backend candidate() {
        return cuda;
    }
}
