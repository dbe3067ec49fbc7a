package dev.distillery.bench.jmh;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.ElementwisePlan;
import dev.distillery.autograd.backend.Storage;
import dev.distillery.autograd.backend.UnaryKernel;
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
 * Elementwise kernels on 1M F32 elements (4 MB per operand). Bytes moved per op: add/mul 12 MB
 * (two reads, one write), exp 8 MB, silu (sigmoid then mul) 8 + 12 MB; {@link #copyReference}, a
 * plain {@code System.arraycopy} of 4 MB (8 MB moved), is the memory-bandwidth reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ElementwiseBench {
    public static final int N = 1 << 20;

    @Param({"1", "2"})
    public int threads;

    private SimdBackend backend;
    private Storage x;
    private Storage y;
    private Storage out;
    private Storage tmp;
    private ElementwisePlan plan;
    private float[] src;
    private float[] dst;

    @Setup
    public void setup() {
        backend = new SimdBackend(threads);
        Random r = new Random(0);
        double[] a = new double[N];
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = r.nextGaussian();
            b[i] = r.nextGaussian();
        }
        x = backend.upload(DType.F32, a);
        y = backend.upload(DType.F32, b);
        out = backend.allocate(DType.F32, N);
        tmp = backend.allocate(DType.F32, N);
        plan = ElementwisePlan.of(new int[] {N}, new int[] {1}, new int[] {1});
        src = backend.downloadFloats(x);
        dst = new float[N];
    }

    @Benchmark
    public Storage add() {
        backend.binary(BinaryKernel.ADD, x, y, out, plan);
        return out;
    }

    @Benchmark
    public Storage mul() {
        backend.binary(BinaryKernel.MUL, x, y, out, plan);
        return out;
    }

    @Benchmark
    public Storage exp() {
        backend.unary(UnaryKernel.EXP, 0.0, x, out);
        return out;
    }

    /** SiLU as the autograd layer composes it: {@code x * sigmoid(x)}. */
    @Benchmark
    public Storage silu() {
        backend.unary(UnaryKernel.SIGMOID, 0.0, x, tmp);
        backend.binary(BinaryKernel.MUL, x, tmp, out, plan);
        return out;
    }

    @Benchmark
    public float[] copyReference() {
        System.arraycopy(src, 0, dst, 0, N);
        return dst;
    }
}
