package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.backend.Backend;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The op registry: every catalogued op passes first- and second-order gradchecks in F64, and
 * the catalogue provably covers every primitive and every public op of {@link Tensor}.
 */
class OpRegistryTest {

    /** Public Tensor methods that return a Tensor but are not ops to gradcheck, with the reason. */
    private static final Map<String, String> NOT_OPS = Map.ofEntries(
            Map.entry("zeros", "creation"), Map.entry("ones", "creation"), Map.entry("full", "creation"),
            Map.entry("scalar", "creation"), Map.entry("arange", "creation"), Map.entry("linspace", "creation"),
            Map.entry("of", "creation"), Map.entry("randn", "creation"), Map.entry("rand", "creation"),
            Map.entry("oneHot", "creation"), Map.entry("zerosLike", "creation"), Map.entry("fullLike", "creation"),
            Map.entry("requiresGrad", "marks a leaf"), Map.entry("grad", "accessor"),
            Map.entry("detach", "stop-gradient, tested in AutogradTest"), Map.entry("on", "backend transfer"),
            Map.entry("gt", "comparison, not differentiable"), Map.entry("ge", "comparison, not differentiable"),
            Map.entry("lt", "comparison, not differentiable"), Map.entry("le", "comparison, not differentiable"),
            Map.entry("eq", "comparison, not differentiable"));

    @TestFactory
    Stream<DynamicTest> firstOrderGradcheck() {
        return OpCatalog.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (var s = Backends.use(Backends.scalar())) {
                GradCheck.Report r = GradCheck.first(c.op(), c.sample(DType.F64, 7), c.tolerance());
                assertTrue(r.passed(), c.name() + ": " + r);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> secondOrderGradcheck() {
        return OpCatalog.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (var s = Backends.use(Backends.scalar())) {
                GradCheck.Report r = GradCheck.second(c.op(), c.sample(DType.F64, 11), c.tolerance());
                assertTrue(r.passed(), c.name() + ": " + r);
            }
        }));
    }

    @Test
    void catalogueCoversEveryPrimitiveForwardAndBackward() {
        Set<Primitive> seen = EnumSet.noneOf(Primitive.class);
        Graph.listener = seen::add;
        try (var s = Backends.use(Backends.scalar())) {
            for (OpCase c : OpCatalog.all()) {
                List<Tensor> xs = c.sample(DType.F64, 3).stream().map(t -> t.requiresGrad(true)).toList();
                Tensor loss = c.op().apply(xs).square().sum();
                Autograd.grad(List.of(loss), xs, null, true);
            }
        } finally {
            Graph.listener = null;
        }
        Set<Primitive> missing = EnumSet.allOf(Primitive.class);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "primitives no catalogued op exercises: " + missing);
    }

    @Test
    void catalogueCoversEveryPublicTensorOp() {
        Set<String> covered = new TreeSet<>();
        OpCatalog.all().forEach(c -> covered.add(c.method()));
        Set<String> missing = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Tensor.class
                    && !NOT_OPS.containsKey(m.getName()) && !covered.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "public ops without a catalogue entry (add them to OpCatalog): " + missing);
    }

    static Backend scalar() {
        return Backends.scalar();
    }
}
