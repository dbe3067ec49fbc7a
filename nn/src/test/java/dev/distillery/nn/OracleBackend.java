package dev.distillery.nn;

import dev.distillery.autograd.Backends;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test on the scalar oracle backend (the SIMD backend merges later; gradchecks are
 * defined against the oracle anyway). Use with {@code @ExtendWith(OracleBackend.class)}.
 */
public final class OracleBackend implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OracleBackend.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("scope", Backends.use(Backends.scalar()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Backends.Scope s = context.getStore(NS).remove("scope", Backends.Scope.class);
        if (s != null) {
            s.close();
        }
    }
}
