package dev.distillery.bench.jmh;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.ReduceKernel;
import dev.distillery.autograd.backend.ReducePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.simd.SimdBackend;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sums of 1M F32 elements (4 MB read): everything to one value, and a [1024, 1024] matrix
 * summed over its rows (axis 0, the bias-gradient shape) and over its columns (axis 1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ReduceBench {
    private static final int SIDE = 1024;

    @Param({"1", "2"})
    public int threads;

    private SimdBackend backend;
    private Storage x;
    private Storage one;
    private Storage row;
    private ReducePlan all;
    private ReducePlan overRows;
    private ReducePlan overCols;

    @Setup
    public void setup() {
        backend = new SimdBackend(threads);
        Random r = new Random(0);
        double[] a = new double[SIDE * SIDE];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        x = backend.upload(DType.F32, a);
        one = backend.allocate(DType.F32, 1);
        row = backend.allocate(DType.F32, SIDE);
        all = ReducePlan.of(new int[] {SIDE * SIDE}, new boolean[] {true});
        overRows = ReducePlan.of(new int[] {SIDE, SIDE}, new boolean[] {true, false});
        overCols = ReducePlan.of(new int[] {SIDE, SIDE}, new boolean[] {false, true});
    }

    @Benchmark
    public Storage sumAll() {
        backend.reduce(ReduceKernel.SUM, x, one, all);
        return one;
    }

    @Benchmark
    public Storage sumOverRows() {
        backend.reduce(ReduceKernel.SUM, x, row, overRows);
        return row;
    }

    @Benchmark
    public Storage sumOverColumns() {
        backend.reduce(ReduceKernel.SUM, x, row, overCols);
        return row;
    }
}
