package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.distillery.autograd.backend.BinaryKernel;
import dev.distillery.autograd.backend.RandomKind;
import dev.distillery.autograd.backend.UnaryKernel;
import dev.distillery.autograd.random.Philox;
import dev.distillery.autograd.random.PhiloxStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the kernels' per-element source (ops.cuh, philox.cuh) compiled for the host by nvcc against
 * the Java oracle: the enum mapping, Java's NaN and pow special cases, the double-precision rules
 * for parameters, and the Philox stream bit for bit. Host libm stands in for CUDA's device math
 * library, so the ulp tolerances of the conformance suite apply. Skipped without nvcc.
 */
class HostKernelCheckTest {
    @TempDir
    static Path tmp;
    static Path exe;

    @BeforeAll
    static void compile() throws Exception {
        String nvcc = PtxFreshnessTest.nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not found: host check of the kernel source skipped");
        exe = tmp.resolve("host_check");
        PtxFreshnessTest.run(Path.of("."), nvcc, "-std=c++17", "-I", "src/main/cuda", "-o", exe.toString(),
                "src/test/cuda/host_check.cu");
    }

    static List<String[]> ask(List<String> queries) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
            for (String q : queries) {
                w.write(q);
                w.write('\n');
            }
        }
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line.trim().split(" "));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.size() != queries.size()) {
            fail("host_check failed: exit " + p.exitValue() + ", " + out.size() + " answers for " + queries.size());
        }
        return out;
    }

    static String hex(double d) {
        return Long.toHexString(Double.doubleToRawLongBits(d));
    }

    static float f32(String s) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(s, 16));
    }

    static double f64(String s) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(s, 16));
    }

    static void near(String what, double got, double want, double tol) {
        boolean same = Double.compare(got, want) == 0 || (Double.isNaN(got) && Double.isNaN(want));
        if (!same && !(Math.abs(got - want) <= tol)) {
            fail(what + ": kernel source gives " + got + ", oracle " + want + " (tolerance " + tol + ")");
        }
    }

    static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e-30, 50, -50, 88.5, -100};

    @Test
    void unaryKernelSourceMatchesOracle() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        List<String> q = new ArrayList<>();
        List<double[]> args = new ArrayList<>();
        for (UnaryKernel f : UnaryKernel.values()) {
            for (int i = 0; i < 200 + SPECIAL.length; i++) {
                double x = i < SPECIAL.length ? SPECIAL[i] : rng.nextDouble(-6, 6);
                double p = f == UnaryKernel.POW_SCALAR ? (i % 3 == 0 ? 2.0 : 1.0 / 3) : 1.0000000001 * (i % 5 - 2);
                q.add("U " + f.ordinal() + " " + hex(p) + " " + hex(x));
                args.add(new double[] {f.ordinal(), p, x});
            }
        }
        List<String[]> ans = ask(q);
        for (int i = 0; i < q.size(); i++) {
            UnaryKernel f = UnaryKernel.values()[(int) args.get(i)[0]];
            double p = args.get(i)[1], x = args.get(i)[2];
            double k = BackendConformance.unaryUlps(f);
            float xf = (float) x;
            double want32 = (float) f.apply(xf, p);
            near(f + " f32 at " + xf + " p " + p, f32(ans.get(i)[0]), want32,
                    k * Math.ulp((float) Math.max(Math.abs(want32), Float.MIN_NORMAL)));
            double want64 = f.apply(x, p);
            near(f + " f64 at " + x + " p " + p, f64(ans.get(i)[1]), want64,
                    4 * k * Math.ulp(Math.max(Math.abs(want64), Double.MIN_NORMAL)));
        }
    }

    @Test
    void binaryKernelSourceMatchesOracleIncludingJavaSpecialCases() throws Exception {
        SplittableRandom rng = new SplittableRandom(8);
        List<String> q = new ArrayList<>();
        List<double[]> args = new ArrayList<>();
        for (BinaryKernel f : BinaryKernel.values()) {
            for (int i = 0; i < 300; i++) {
                double a = i < 144 ? SPECIAL[i / 12] : rng.nextDouble(-5, 5);
                double b = i < 144 ? SPECIAL[i % 12] : (i % 7 == 0 ? a : rng.nextDouble(-5, 5));
                q.add("B " + f.ordinal() + " " + hex(a) + " " + hex(b));
                args.add(new double[] {f.ordinal(), a, b});
            }
        }
        List<String[]> ans = ask(q);
        for (int i = 0; i < q.size(); i++) {
            BinaryKernel f = BinaryKernel.values()[(int) args.get(i)[0]];
            double a = args.get(i)[1], b = args.get(i)[2];
            double want32 = (float) f.apply((float) a, (float) b);
            double want64 = f.apply(a, b);
            boolean pow = f == BinaryKernel.POW;
            near(f + " f32 (" + a + ", " + b + ")", f32(ans.get(i)[0]), want32,
                    pow ? Math.ulp((float) Math.max(Math.abs(want32), Float.MIN_NORMAL)) : 0);
            near(f + " f64 (" + a + ", " + b + ")", f64(ans.get(i)[1]), want64,
                    pow ? 2 * Math.ulp(Math.max(Math.abs(want64), Double.MIN_NORMAL)) : 0);
        }
    }

    @Test
    void philoxSourceReproducesTheJavaStreamBitForBit() throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        List<String> q = new ArrayList<>();
        List<long[]> args = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long key = i < 4 ? i * 0x1_0000_0001L : rng.nextLong();
            long pos = i < 4 ? (1L << 32) - 2 + i : rng.nextLong();
            q.add("R " + Long.toHexString(key) + " " + Long.toHexString(pos));
            args.add(new long[] {key, pos});
        }
        List<String[]> ans = ask(q);
        int[] w = new int[4];
        float[] one = new float[1];
        for (int i = 0; i < q.size(); i++) {
            long key = args.get(i)[0], pos = args.get(i)[1];
            Philox.block((int) pos, (int) (pos >>> 32), 0, 0, (int) key, (int) (key >>> 32), w);
            for (int j = 0; j < 4; j++) {
                assertEquals(w[j], Integer.parseUnsignedInt(ans.get(i)[j], 16), "word " + j + " at " + q.get(i));
            }
            PhiloxStream.fill(RandomKind.UNIFORM, key, pos, one, 0, 1);
            assertEquals(Float.floatToRawIntBits(one[0]), Integer.parseUnsignedInt(ans.get(i)[4], 16), "uniform24");
            assertEquals(PhiloxStream.at(RandomKind.UNIFORM, key, pos), f64(ans.get(i)[5]), 0.0, "uniform53");
            double normal = PhiloxStream.at(RandomKind.NORMAL, key, pos);
            near("normal at " + q.get(i), f64(ans.get(i)[6]), normal, 8 * Math.ulp(normal) + 1e-15);
        }
    }
}
