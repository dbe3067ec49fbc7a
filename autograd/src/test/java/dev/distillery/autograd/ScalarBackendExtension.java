package dev.distillery.autograd;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test of a class on the scalar oracle backend ({@code @ExtendWith(ScalarBackendExtension.class)}),
 * so that known answers are compared with the reference arithmetic, not with a SIMD kernel's
 * reassociated sums (gradchecks are defined against the oracle too); the previous backend is restored
 * after each test. Shared by the tests of every module through autograd's test-jar.
 */
public final class ScalarBackendExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ScalarBackendExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("scope", Backends.use(Backends.scalar()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Backends.Scope scope = context.getStore(NAMESPACE).remove("scope", Backends.Scope.class);
        if (scope != null) {
            scope.close();
        }
    }
}
