package dev.distillery.gpu;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BackendProvider;
import java.util.Optional;

/**
 * Makes the CUDA backend discoverable through {@link java.util.ServiceLoader} under the name
 * "cuda". Probing opens the driver once per process; on a machine without an NVIDIA driver or
 * device it reports why in one line and never throws.
 */
public final class CudaBackendProvider implements BackendProvider {

    /** For ServiceLoader. */
    public CudaBackendProvider() {
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(CudaContext.probe().reason());
    }

    /**
     * A backend on the selected device ({@code -Ddistillery.cuda.device}, default 0). All backends
     * of a process share one context and one memory pool; {@code threads} is ignored.
     *
     * @throws IllegalStateException with the unavailable reason when CUDA cannot run here
     */
    @Override
    public Backend create(int threads) {
        CudaContext.Outcome o = CudaContext.probe();
        if (o.context() == null) {
            throw new IllegalStateException(o.reason());
        }
        return new CudaBackend(o.context(), o.context().pool());
    }
}
