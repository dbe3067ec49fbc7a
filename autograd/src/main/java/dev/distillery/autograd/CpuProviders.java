package dev.distillery.autograd;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.BackendProvider;
import dev.distillery.autograd.cpu.ScalarBackend;

import java.util.Optional;

/** Providers of the two built-in CPU backends. */
final class CpuProviders {
    private CpuProviders() {
    }

    static final class Scalar implements BackendProvider {
        @Override
        public String name() {
            return "scalar";
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Backend create(int threads) {
            return new ScalarBackend();
        }
    }

    /**
     * The SIMD backend, loaded reflectively so that its Vector API classes are never touched
     * when the incubator module is missing (which would fail with NoClassDefFoundError).
     */
    static final class Simd implements BackendProvider {
        @Override
        public String name() {
            return "simd";
        }

        @Override
        public Optional<String> unavailableReason() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return Optional.of("the Vector API is not enabled (start the JVM with "
                        + "--add-modules=jdk.incubator.vector)");
            }
            return Optional.empty();
        }

        @Override
        public Backend create(int threads) {
            try {
                return (Backend) Class.forName("dev.distillery.autograd.simd.SimdBackend")
                        .getConstructor(int.class).newInstance(threads);
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("SIMD backend failed to load: " + e, e);
            }
        }
    }
}
