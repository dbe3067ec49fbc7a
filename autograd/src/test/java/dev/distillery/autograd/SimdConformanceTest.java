package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.distillery.autograd.backend.Backend;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every catalogued op on the SIMD backend agrees with the scalar oracle in F32 and F64 (values
 * and gradients), and is bit-identical for 1, 2 and 4 threads.
 */
class SimdConformanceTest {
    private static final Backend ORACLE = Backends.scalar();

    @TestFactory
    Stream<DynamicTest> agreesWithTheOracle() {
        Backend simd = Backends.create("simd", 2);
        return Stream.of(DType.F32, DType.F64).flatMap(dtype -> OpCatalog.all().stream().map(c ->
                DynamicTest.dynamicTest(c.name() + " " + dtype, () -> {
                    BackendConformance.Result expected = BackendConformance.run(c, ORACLE, dtype, 5);
                    BackendConformance.Result actual = BackendConformance.run(c, simd, dtype, 5);
                    assertNull(BackendConformance.compare(c, dtype, expected, actual));
                })));
    }

    @TestFactory
    Stream<DynamicTest> bitIdenticalForAnyThreadCount() {
        List<Backend> backends = List.of(Backends.create("simd", 1), Backends.create("simd", 2),
                Backends.create("simd", 4));
        return Stream.concat(OpCatalog.all().stream(), LargeCases.all().stream()).map(c ->
                DynamicTest.dynamicTest(c.name(), () -> {
                    for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                        BackendConformance.Result one = BackendConformance.run(c, backends.get(0), dtype, 9);
                        for (Backend b : backends.subList(1, backends.size())) {
                            BackendConformance.Result other = BackendConformance.run(c, b, dtype, 9);
                            assertArrayEquals(one.value(), other.value(), 0.0, c.name() + " value, threads " + b.threads());
                            for (int i = 0; i < one.grads().size(); i++) {
                                assertArrayEquals(one.grads().get(i), other.grads().get(i), 0.0,
                                        c.name() + " gradient " + i + ", threads " + b.threads());
                            }
                        }
                    }
                }));
    }

    @Test
    void largeCasesAgreeWithTheOracleToo() {
        Backend simd = Backends.create("simd", 2);
        for (OpCase c : LargeCases.all()) {
            BackendConformance.Result expected = BackendConformance.run(c, ORACLE, DType.F32, 3);
            BackendConformance.Result actual = BackendConformance.run(c, simd, DType.F32, 3);
            assertNull(BackendConformance.compare(c, DType.F32, expected, actual), c.name());
        }
    }
}
