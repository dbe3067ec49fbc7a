package dev.distillery.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.distill.matching.DistributionMatchingDistillation;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.nn.models.MlpConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The knobs of the registered methods ({@link Knob}, {@link MethodSettings}): every method declares
 * some, every knob changes the config its method builds (and nothing else in it), the distiller
 * accepts the changed config, and a wrong key or value fails naming the method, the key and the
 * valid keys.
 */
class MethodKnobsTest {
    private static final MixtureSpec SPEC = Toy2d.gaussians25Spec();
    /** A short run: it sizes the schedules (and the pairs of kd and rectified flow). */
    private static final int STEPS = 8;

    private static DistillSetup setup(DistillMethod m) {
        int[] cls = new int[SPEC.k()];
        Arrays.setAll(cls, i -> i);
        var teacher = new GaussianMixtureDenoiser(GaussianMixture.of(SPEC), ContinuousCosine.INSTANCE, cls, SPEC.k());
        MlpConfig student = new MlpConfig(2, 16, 2, 16, 1000.0, m.studentConditioning(SPEC.k()), false, DType.F32, 5L, 0, 1.0);
        return new DistillSetup(teacher, null, student, DataSource.mixture(SPEC, DType.F32), new int[] {2}, DType.F32, 16, 5L);
    }

    @Test
    void everyMethodDeclaresKnobsWithDefaultsInTheirDomains() {
        for (DistillMethod m : Methods.all()) {
            List<Knob> knobs = m.knobs();
            assertFalse(knobs.isEmpty(), m.name() + " declares no knobs");
            assertEquals(knobs.size(), new HashSet<>(knobs.stream().map(Knob::key).toList()).size(), m.name() + ": keys repeat");
            for (Knob k : knobs) {
                assertTrue(k.domain().contains(k.parse(m.name(), k.defaultValue(), knobs)), m.name() + " " + k);
                assertEquals(k.defaultValue(), Knob.format(Double.parseDouble(k.defaultValue())), "canonical default " + k);
            }
        }
        // the examples are there
        assertKeys("cd", "mu", "n", "sigma-max", "lr");
        assertKeys("ct", "mu0", "s0", "s1", "lr");
        assertKeys("guided", "w");
        assertKeys("progressive", "n0");
        assertKeys("ctm", "mu", "dsm");
        assertKeys("dmd", "fake-updates", "gan");
        assertKeys("dmd2", "fake-updates", "gan");
        for (String adversarial : List.of("add", "adversarial-every-step", "ddgan")) {
            assertKeys(adversarial, "ema", "dsteps");
        }
        for (String other : List.of("kd", "rectified-flow", "sds", "unbiased-score")) {
            assertKeys(other, "lr");
        }
        Knob mu = knob("cd", "mu");
        assertEquals(Knob.format(dev.distillery.distill.trajectory.ConsistencyDistillation.Config.defaults().emaDecay()),
                mu.defaultValue(), "a knob states its config's default");
    }

    @Test
    void everyKnobChangesTheBuiltConfigAndNothingElseAndTheDistillerTakesIt() {
        int checked = 0;
        for (DistillMethod m : Methods.all()) {
            RegisteredMethod r = (RegisteredMethod) m;
            DistillSetup s = setup(m);
            for (Knob k : m.knobs()) {
                checked += checkKnob(r, r.recipe(), s, k);
            }
        }
        assertTrue(checked >= 40, "knobs checked: " + checked);
    }

    /** One knob: set to another valid value it changes the config, set back it restores it exactly; the distiller steps with it. */
    private static <C> int checkKnob(RegisteredMethod m, Recipe<C> recipe, DistillSetup s, Knob k) {
        C base = recipe.config(s, STEPS, MethodSettings.NONE);
        double current = recipe.read(base, k.key());
        double other = Double.NaN;
        MethodSettings set = null;
        C changed = null;
        for (double candidate : otherValues(k, current)) {
            try {
                set = m.check(MethodSettings.of(Map.of(k.key(), Knob.format(candidate))));
                changed = recipe.apply(base, set);
                other = candidate;
                break;
            } catch (IllegalArgumentException crossKnobRule) {
                // valid alone, but not beside the other knobs' defaults (ct's s0 <= s1): try the next
            }
        }
        assertNotNull(changed, "no other value of " + m.name() + " " + k.key() + " is accepted beside the defaults");
        String what = m.name() + " " + k.key() + ": " + Knob.format(current) + " -> " + Knob.format(other);
        assertNotEquals(base, changed, what + " left the config as it was");
        assertEquals(other, recipe.read(changed, k.key()), what);
        for (Knob o : m.knobs()) {
            if (!o.key().equals(k.key())) {
                assertEquals(recipe.read(base, o.key()), recipe.read(changed, o.key()), what + " also moved " + o.key());
            }
        }
        C back = recipe.apply(changed, MethodSettings.of(Map.of(k.key(), Knob.format(current))));
        assertEquals(base, back, what + " and back did not restore the config: it changes more than " + k.key());
        assertEquals(changed, recipe.config(s, STEPS, set), what + ": the run's config is the recipe's with the setting on top");
        Distiller d = m.create(s, STEPS, set);
        Map<String, Double> losses = d.step(new Rng(1L));
        assertFalse(losses.isEmpty(), what + ": no losses");
        return 1;
    }

    /** The config {@code method}'s recipe builds with {@code settings} (checked first), for a run of {@value #STEPS} steps. */
    private static Object builtConfig(String method, MethodSettings settings) {
        RegisteredMethod m = (RegisteredMethod) Methods.byName(method).orElseThrow();
        return m.recipe().config(setup(m), STEPS, m.check(settings));
    }

    /** DMD's and unbiased-score's teacher pairs: the recipe's, at most a quarter of what the run draws. */
    @Test
    void regressionPairsAreSizedToTheRun() {
        assertEquals(8192, DistributionMethods.regressionPairs(8192, 128, 3000));   // the 25-Gaussians demo keeps all
        assertEquals(4800, DistributionMethods.regressionPairs(8192, 64, 300));     // the digits demo: 300 x 64 / 4
        assertEquals(1, DistributionMethods.regressionPairs(8192, 1, 1));
        assertEquals(0, DistributionMethods.regressionPairs(0, 128, 3000));         // no regression loss
        RegisteredMethod dmd = (RegisteredMethod) Methods.byName("dmd").orElseThrow();
        var digitsLike = (DistributionMatchingDistillation.Config) dmd.recipe().config(setup(dmd), 300, MethodSettings.NONE);
        assertEquals(DistributionMethods.regressionPairs(8192, setup(dmd).batchSize(), 300), digitsLike.regressionPairs());
    }

    /** Values of {@code k} other than {@code current} inside its domain, in the order tried. */
    private static List<Double> otherValues(Knob k, double current) {
        List<Double> out = new ArrayList<>();
        for (double v : List.of(current * 2, current / 2, current + 1, current - 1, 0.5, 0.9, 1.0, 3.0)) {
            double c = k.integer() ? Math.rint(v) : v;
            if (c != current && k.domain().contains(c) && !out.contains(c)) {
                out.add(c);
            }
        }
        assertFalse(out.isEmpty(), "no other value for " + k);
        return out;
    }

    @Test
    void aSettingReachesTheDistillerThroughWithSettings() {
        DistillMethod guided = Methods.byName("guided").orElseThrow();
        assertSame(guided, guided.withSettings(MethodSettings.NONE));
        DistillMethod w3 = guided.withSettings(MethodSettings.parse(List.of("w=3")));
        assertEquals("guided", w3.name());
        assertEquals(guided.recommendedSteps(), w3.recommendedSteps());
        assertEquals(guided.studentConditioning(4), w3.studentConditioning(4));
        assertEquals("w=3", w3.settings().label());
        // the same student (same setup, same training steps) samples differently at another guidance weight
        DistillSetup s = setup(guided);
        float[] plain = trainedSample(guided, s);
        float[] again = trainedSample(guided, s);
        float[] weighted = trainedSample(w3, s);
        assertTrue(Arrays.equals(plain, again), "a guided student is deterministic");
        assertFalse(Arrays.equals(plain, weighted), "w=3 did not reach the generator");
        // more settings on top: the later value wins, the label stays canonical (knob order)
        DistillMethod more = w3.withSettings(MethodSettings.parse(List.of("lr=0.002", "w=2.50")));
        assertEquals("w=2.5,lr=0.002", more.settings().label());
    }

    /** Two training steps of {@code m}, then its samples at 4 steps on fixed noise and key. */
    private static float[] trainedSample(DistillMethod m, DistillSetup s) {
        Distiller d = m.create(s, STEPS);
        Rng rng = new Rng(1L);
        d.step(rng);
        d.step(rng);
        return d.generator().sample(Tensor.randn(DType.F32, 9L, 0L, 7, 2), 4, RngKey.of(3L)).toFloatArray();
    }

    @Test
    void wrongKeysAndValuesNameTheMethodTheKeyAndTheValidKeys() {
        DistillMethod cd = Methods.byName("cd").orElseThrow();
        String keys = "cd's settings: mu, n, sigma-max, lr, decay";
        var unknown = assertThrows(IllegalArgumentException.class, () -> cd.check(MethodSettings.parse(List.of("muu=0.9"))));
        assertEquals("cd has no setting 'muu'; " + keys, unknown.getMessage());
        for (String bad : List.of("mu=1.5", "mu=1", "mu=abc", "mu=NaN", "mu=Infinity", "mu=0x1p-1", "mu=0.9d")) {
            var e = assertThrows(IllegalArgumentException.class, () -> cd.check(MethodSettings.parse(List.of(bad))), bad);
            assertEquals("cd setting " + bad + " is not a number in [0, 1); " + keys, e.getMessage());
        }
        var fraction = assertThrows(IllegalArgumentException.class, () -> cd.withSettings(MethodSettings.parse(List.of("n=2.5"))));
        assertEquals("cd setting n=2.5 is not an integer >= 2; " + keys, fraction.getMessage());
        var power = assertThrows(IllegalArgumentException.class,
                () -> Methods.byName("progressive").orElseThrow().check(MethodSettings.parse(List.of("n0=48"))));
        assertTrue(power.getMessage().startsWith("progressive setting n0=48 is not a power of two"), power.getMessage());
        assertTrue(power.getMessage().endsWith("progressive's settings: n0, lr"), power.getMessage());
        var dmd2 = assertThrows(IllegalArgumentException.class,
                () -> Methods.byName("dmd2").orElseThrow().check(MethodSettings.parse(List.of("reg=1"))));
        assertEquals("dmd2 has no setting 'reg'; dmd2's settings: fake-updates, gan, lr, fake-lr, start, student-steps", dmd2.getMessage());
        // a value valid alone but not beside the other settings is refused with the fix, when the config is built
        var shrinking = assertThrows(IllegalArgumentException.class,
                () -> builtConfig("ct", MethodSettings.parse(List.of("s0=40"))));
        assertTrue(shrinking.getMessage().contains("s0 = 40 > s1 = 18") && shrinking.getMessage().contains("--set s0=40,s1=40"),
                shrinking.getMessage());
        // a method with no knobs refuses every key
        DistillMethod bare = new DistillMethod() {
            public String name() {
                return "bare";
            }

            public String description() {
                return "no knobs";
            }

            public Distiller create(DistillSetup setup, int trainingSteps) {
                throw new UnsupportedOperationException();
            }

            public int recommendedSteps() {
                return 1;
            }
        };
        assertSame(bare, bare.withSettings(MethodSettings.NONE));
        var none = assertThrows(IllegalArgumentException.class, () -> bare.withSettings(MethodSettings.parse("x=1")));
        assertEquals("bare has no setting 'x'; bare has no settings", none.getMessage());
    }

    @Test
    void settingsParseAndPrintCanonically() {
        MethodSettings s = MethodSettings.parse(List.of("n = 18.0", "mu=0.990", "lr=5e-4"));
        assertEquals(List.of("n", "mu", "lr"), List.copyOf(s.values().keySet()));
        assertEquals("18.0", s.get("n"));
        MethodSettings c = Methods.byName("cd").orElseThrow().check(s);
        assertEquals("mu=0.99,n=18,lr=0.0005", c.label());
        assertEquals(c, MethodSettings.parse(c.label()));
        assertEquals(c, Methods.byName("cd").orElseThrow().check(MethodSettings.parse(c.label())));
        assertEquals(MethodSettings.NONE, MethodSettings.parse(""));
        assertEquals("", MethodSettings.NONE.label());
        assertEquals("mu=0.9,n=4", MethodSettings.parse("mu=0.5,n=4").with(MethodSettings.parse("mu=0.9")).label());
        for (String bad : List.of("mu", "=1", "mu=", "mu=1,mu=2")) {
            assertThrows(IllegalArgumentException.class, () -> MethodSettings.parse(bad), bad);
        }
        assertEquals("3", Knob.format(3.0));
        assertEquals("0.0005", Knob.format(5e-4));
        assertEquals("0.000001", Knob.format(1e-6));
        assertEquals("0", Knob.format(-0.0));
    }

    @Test
    void docsSweepsListsEveryKnobWithItsDefault() throws java.io.IOException {
        // the table of docs/SWEEPS.md ("Method settings") is the registry's, row for row
        java.nio.file.Path doc = java.nio.file.Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("SWEEPS.md");
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `([a-z0-9-]+)` \\| `([a-z0-9-]+)` \\|(.*)$");
        List<String> documented = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(doc)) {
            var m = row.matcher(line);
            if (m.matches()) {
                documented.add(line);
            }
        }
        List<String> registry = new ArrayList<>();
        for (DistillMethod m : Methods.all()) {
            for (Knob k : m.knobs()) {
                registry.add("| `" + m.name() + "` | `" + k.key() + "` | " + k.description() + " | " + k.defaultValue() + " | "
                        + k.domain() + " |");
            }
        }
        assertEquals(registry, documented, "docs/SWEEPS.md's table of method settings differs from the registry's knobs");
    }

    private static void assertKeys(String method, String... keys) {
        List<String> have = Methods.byName(method).orElseThrow().knobs().stream().map(Knob::key).toList();
        for (String k : keys) {
            assertTrue(have.contains(k), method + " lacks knob " + k + "; it has " + have);
        }
    }

    private static Knob knob(String method, String key) {
        return Methods.byName(method).orElseThrow().knobs().stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
    }
}
