package dev.distillery.proptest.jupiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.PropertyFailure;
import dev.distillery.proptest.Statistics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The {@code @Property} extension, tested by launching fixture classes through the JUnit Platform
 * and reading what they reported. The fixtures (several fail on purpose) are nested, which
 * surefire skips by default, and also only enabled while {@link #launch} runs them, because a
 * {@code -Dtest=} pattern lifts surefire's exclusion of nested classes.
 */
class PropertyExtensionTest {
    private static final String FIXTURES = "distillery.proptest.fixtures";

    /** Calls seen by the fixtures; static because JUnit makes a fresh instance per test. */
    static final List<Object[]> CALLS = new ArrayList<>();

    private static TestExecutionSummary launch(Class<?> fixture) {
        CALLS.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(FIXTURES, "on");
        try {
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        } finally {
            System.clearProperty(FIXTURES);
        }
        return listener.getSummary();
    }

    private static Throwable onlyFailure(TestExecutionSummary summary) {
        assertEquals(1, summary.getTotalFailureCount(), "one failing test expected");
        return summary.getFailures().get(0).getException();
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "on")
    static class Passing {
        @Property(tries = 50)
        void additionCommutes(@ForAll int a, @ForAll int b) {
            CALLS.add(new Object[] {a, b});
            assertEquals(a + b, b + a);
        }
    }

    @Test
    void aPassingPropertyRunsItsEdgeCasesThenItsTries() {
        TestExecutionSummary s = launch(Passing.class);
        assertEquals(1, s.getTestsSucceededCount());
        // intsEdgeFirst(-1000, 1000) has 5 edge cases (0, -1000, 1000, 1, -1): 5 combinations, then 50 tries.
        assertEquals(55, CALLS.size());
        assertEquals(0, CALLS.get(0)[0]);
        assertEquals(0, CALLS.get(0)[1]);
        assertEquals(-1000, CALLS.get(1)[0]);
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "on")
    static class FailingFromProvider {
        static Gen<Integer> smallPositive() {
            return Gens.ints(1, 10_000);
        }

        @Property(tries = 200, seed = "42")
        void belowFifty(@From("smallPositive") int n, @ForAll boolean flag) {
            assertTrue(n < 50, "n = " + n);
        }
    }

    @Test
    void aFailureShowsTheShrunkArgumentsByNameAndTheSeed() {
        Throwable t = onlyFailure(launch(FailingFromProvider.class));
        PropertyFailure f = assertInstanceOf(PropertyFailure.class, t);
        assertEquals(42L, f.seed());
        // Shrinks to the boundary, and the boolean (which does not matter) to false.
        assertEquals("n = 50, flag = false", f.shrunkValue().toString());
        assertTrue(f.getMessage().contains("shrunk counterexample:   n = 50, flag = false"), f.getMessage());
        assertTrue(f.getMessage().contains("-Ddistillery.prop.seed=42"), f.getMessage());
        assertTrue(f.getMessage().contains(FailingFromProvider.class.getName() + "#belowFifty"), f.getMessage());
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "on")
    static class FailingOnEdge {
        @Property(tries = 10)
        void reciprocalIsFinite(@ForAll double x) {
            assertTrue(Double.isFinite(1 / x), "1/x not finite");
        }
    }

    @Test
    void edgeCasesFindWhatUniformDrawsMiss() {
        PropertyFailure f = assertInstanceOf(PropertyFailure.class, onlyFailure(launch(FailingOnEdge.class)));
        assertEquals(-1, f.tryNumber(), "the first edge case, 0, fails");
        assertTrue(f.getMessage().contains("failed at edge case 1"), f.getMessage());
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "on")
    static class WithProvide {
        @Provide
        static Gen<int[]> shapes() {
            return Gens.shapes(1, 3, 4);
        }

        @Property(tries = 20, statistics = true)
        void shapesArePositive(@ForAll int[] shape) {
            CALLS.add(new Object[] {shape});
            Statistics.collect("rank " + shape.length);
            for (int d : shape) {
                assertTrue(d >= 1);
            }
        }
    }

    @Test
    void provideRegistersAGeneratorByTypeAndStatisticsAreCollected() {
        TestExecutionSummary s = launch(WithProvide.class);
        assertEquals(1, s.getTestsSucceededCount());
        assertEquals(20, CALLS.size());
        Statistics.Report r = Statistics.lastReport();
        assertEquals(20, r.tries());
        assertEquals(20, r.counts().values().stream().mapToInt(Integer::intValue).sum());
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "on")
    static class Unresolvable {
        @Property
        void noGenerator(@ForAll StringBuilder text) {
        }
    }

    @Test
    void aParameterWithoutGeneratorIsAConfigurationErrorThatSaysWhatToDo() {
        Throwable t = onlyFailure(launch(Unresolvable.class));
        assertInstanceOf(ExtensionConfigurationException.class, t);
        assertTrue(t.getMessage().contains("@Provide"), t.getMessage());
    }
}
