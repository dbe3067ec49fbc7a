package dev.distillery.autograd.backend;

import java.util.Optional;

/**
 * Finds and creates one kind of backend. Implementations are listed in
 * {@code META-INF/services/dev.distillery.autograd.backend.BackendProvider} and discovered with
 * {@link java.util.ServiceLoader}, so an optional module (the CUDA backend) plugs in by being on
 * the class path.
 */
public interface BackendProvider {

    /** The name users select it by ({@code distillery.backend} / {@code DISTILLERY_BACKEND}). */
    String name();

    /**
     * Why this backend cannot run here (no driver, no device, module flag missing), in one line
     * that names the fix; empty when it can run. Must not throw and must be cheap to call twice.
     */
    Optional<String> unavailableReason();

    /** Creates a backend computing with {@code threads} threads (ignored by sequential ones). */
    Backend create(int threads);
}
