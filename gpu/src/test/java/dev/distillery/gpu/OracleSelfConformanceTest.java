package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.backend.Backend;
import dev.distillery.autograd.backend.UnaryKernel;
import dev.distillery.autograd.cpu.ScalarBackend;
import org.junit.jupiter.api.Test;

/**
 * Runs the conformance suite where no GPU is needed, so the suite itself is exercised on every
 * build: against a second oracle instance every check must pass, and a backend with one kernel off
 * by a few ulps must be caught (a checker nobody tested proves nothing).
 */
class OracleSelfConformanceTest extends BackendConformance {
    private final Backend second = new ScalarBackend();

    @Override
    Backend candidate() {
        return second;
    }

    @Test
    void suiteCatchesAnExpKernelThatIsTenUlpsOff() {
        BackendConformance broken = new BackendConformance() {
            final Backend wrong = new PerturbedBackend(new ScalarBackend(), UnaryKernel.EXP, 10);

            @Override
            Backend candidate() {
                return wrong;
            }
        };
        assertThrows(AssertionError.class, () -> broken.unaryMatchesOracleWithinUlps(UnaryKernel.EXP));
    }
}
