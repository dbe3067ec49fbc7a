package dev.distillery.bench.jmh;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.MatmulPlan;
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
 * W1 GEMM: {@code C = A B}, square N, standard-normal inputs, on the SIMD backend. GFLOP/s =
 * 2 N^3 / (time per op). {@code threads} is the backend's thread count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {
    @Param({"64", "128", "256", "512", "1024"})
    public int n;

    @Param({"F32", "F64"})
    public DType dtype;

    @Param({"1", "2"})
    public int threads;

    private SimdBackend backend;
    private Storage a;
    private Storage b;
    private Storage c;
    private MatmulPlan plan;

    @Setup
    public void setup() {
        backend = new SimdBackend(threads);
        Random r = new Random(0);
        double[] x = new double[n * n];
        double[] y = new double[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextGaussian();
        }
        a = backend.upload(dtype, x);
        b = backend.upload(dtype, y);
        c = backend.allocate(dtype, n * n);
        plan = MatmulPlan.single(n, n, n, false, false);
    }

    @Benchmark
    public Storage matmul() {
        backend.matmul(a, b, c, plan);
        return c;
    }
}
