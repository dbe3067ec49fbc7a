package dev.distillery.bench;

import dev.distillery.bench.workloads.Measure;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Paired timing of two builds in one JVM, for deciding whether a change is faster on a noisy
 * host. Each build's jars are loaded by a class loader of their own, and the same workload runs
 * on A and on B in turn, round after round (A B, then B A, ...), so that what the host does to
 * the timings over a few seconds (other tenants, the clock) falls on both halves of a pair. The
 * verdict rests on the per-round ratios B / A: their median and quartiles, and a two-sided sign
 * test of "B is as often faster as slower". On this project's 2-core VM the same W2 step measured
 * 60-84 ms in separate processes minutes apart, while the paired ratio of a build against itself
 * was 1.008 with quartiles 0.975-1.042 (docs/BENCHMARKS.md, "Comparing two builds").
 *
 * <p>The workloads are called by name through reflection, so an older build can be measured as
 * long as it has the same entry points: {@code W2Mlp.run} and {@code W3UNet.run} (threads, batch,
 * warm-up steps, timed steps; the median step), and {@link Gemm#secondsPerCall} for a float32
 * square product (the median call).
 *
 * <p>Usage: {@code java @cli/target/jvm.options -cp "cli/target/lib/*" dev.distillery.bench.Paired
 * --a OTHER_CHECKOUT/cli/target/lib --b cli/target/lib --workload w2 --threads 1 --size 4096
 * [--rounds 12]}; size is the batch for w2 and w3, N for w1.
 */
public final class Paired {
    /** Rounds run before those that count: both builds compiled by C2 before either is timed. */
    static final int WARM_ROUNDS = 2;

    private Paired() {
    }

    /** What to compare: two directories of jars, a workload, its thread count and size, rounds that count. */
    public record Options(Path a, Path b, String workload, int threads, int size, int rounds) {
        public Options {
            if (!List.of("w1", "w2", "w3").contains(workload)) {
                throw new IllegalArgumentException("--workload " + workload + ": use w1 (float32 GEMM), w2 (MLP step) or w3 (U-Net step)");
            }
            if (threads < 1 || size < 1) {
                throw new IllegalArgumentException("--threads " + threads + " --size " + size + ": both must be at least 1");
            }
            if (rounds < 3) {
                throw new IllegalArgumentException("--rounds " + rounds + ": at least 3, so that quartiles and the sign test mean something");
            }
        }

        /** Parses {@code --a DIR --b DIR --workload W --threads T --size S [--rounds R]}. */
        public static Options parse(String[] args) {
            Path a = null, b = null;
            String workload = null;
            int threads = 1, size = 0, rounds = 12;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--a": a = Path.of(v); break;
                    case "--b": b = Path.of(v); break;
                    case "--workload": workload = v; break;
                    case "--threads": threads = integer(args[i], v); break;
                    case "--size": size = integer(args[i], v); break;
                    case "--rounds": rounds = integer(args[i], v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + "; use --a, --b, --workload, --threads, --size, --rounds");
                }
            }
            if (a == null || b == null || workload == null || size == 0) {
                throw new IllegalArgumentException("--a, --b, --workload and --size are required"
                        + " (--a and --b: directories of a build's jars, such as CHECKOUT/cli/target/lib)");
            }
            return new Options(a, b, workload, threads, size, rounds);
        }

        private static int integer(String flag, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + v + ": not an integer");
            }
        }
    }

    /**
     * The comparison: each build's median time (ms) over the rounds, the median per-round ratio
     * B / A and its quartiles ({@link Measure#quantile}), how many rounds B was faster in, and the
     * two-sided sign-test p-value (rounds with equal times left out).
     */
    public record Summary(double medianA, double medianB, double ratio, double lowerQuartile, double upperQuartile,
                          int bFaster, int rounds, double signTestP) {
        public static Summary of(double[] a, double[] b) {
            if (a.length != b.length || a.length == 0) {
                throw new IllegalArgumentException("need the same positive number of rounds for A and B, got " + a.length + " and " + b.length);
            }
            double[] ratio = new double[a.length];
            int faster = 0, slower = 0;
            for (int i = 0; i < a.length; i++) {
                ratio[i] = b[i] / a[i];
                faster += b[i] < a[i] ? 1 : 0;
                slower += b[i] > a[i] ? 1 : 0;
            }
            return new Summary(Measure.median(a), Measure.median(b), Measure.median(ratio),
                    Measure.quantile(ratio, 0.25), Measure.quantile(ratio, 0.75), faster, a.length, signTest(faster, slower));
        }

        public String line() {
            return String.format(Locale.ROOT, "A %.3f ms, B %.3f ms (medians of %d rounds); B / A %.3f (quartiles %.3f-%.3f);"
                    + " B faster in %d of %d, sign test p = %.3f", medianA, medianB, rounds, ratio, lowerQuartile, upperQuartile,
                    bFaster, rounds, signTestP);
        }
    }

    /**
     * Two-sided sign test: the probability, when either build is as likely to be the faster one
     * in a round, of a split at least as uneven as {@code wins} against {@code losses}:
     * {@code min(1, 2 P(X <= min(wins, losses)))}, X ~ Binomial(wins + losses, 1/2).
     */
    static double signTest(int wins, int losses) {
        int n = wins + losses;
        int k = Math.min(wins, losses);
        double tail = 0.0;
        double term = Math.pow(0.5, n);       // C(n, 0) / 2^n
        for (int i = 0; i <= k; i++) {
            tail += term;
            term = term * (n - i) / (i + 1);  // C(n, i + 1) / 2^n
        }
        return Math.min(1.0, 2.0 * tail);
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Paired: " + e.getMessage());
            System.exit(2);
            return;
        }
        Build a = new Build(o.a(), o);
        Build b = new Build(o.b(), o);
        double[] ta = new double[o.rounds()];
        double[] tb = new double[o.rounds()];
        for (int r = -WARM_ROUNDS; r < o.rounds(); r++) {
            boolean aFirst = (r & 1) == 0;
            double first = (aFirst ? a : b).measure();
            double second = (aFirst ? b : a).measure();
            if (r >= 0) {
                ta[r] = aFirst ? first : second;
                tb[r] = aFirst ? second : first;
                System.err.printf(Locale.ROOT, "round %2d  A %.3f ms  B %.3f ms  B / A %.3f%n", r, ta[r], tb[r], tb[r] / ta[r]);
            }
        }
        System.out.println(o.workload() + " threads=" + o.threads() + " size=" + o.size() + ": " + Summary.of(ta, tb).line());
        System.exit(0);
    }

    /** One build: its jars in a class loader of their own, and its workload's entry point. */
    private static final class Build {
        private final Options options;
        private final Method entry;
        private final Object[] arguments;

        Build(Path jars, Options o) throws IOException, ReflectiveOperationException {
            this.options = o;
            ClassLoader loader = new URLClassLoader(urls(jars), ClassLoader.getPlatformClassLoader());
            switch (o.workload()) {
                case "w1": {
                    Class<?> backend = loader.loadClass("dev.distillery.autograd.simd.SimdBackend");
                    Class<?> dtype = loader.loadClass("dev.distillery.autograd.DType");
                    entry = loader.loadClass("dev.distillery.bench.Gemm").getMethod("secondsPerCall", backend, dtype, int.class);
                    arguments = new Object[] {backend.getConstructor(int.class).newInstance(o.threads()),
                            dtype.getField("F32").get(null), o.size()};
                    break;
                }
                default: {
                    String name = o.workload().equals("w2") ? "W2Mlp" : "W3UNet";
                    entry = loader.loadClass("dev.distillery.bench.workloads." + name)
                            .getMethod("run", int.class, int.class, int.class, int.class);
                    // about a second a measurement at the sizes the issue names
                    boolean large = o.workload().equals("w3") || o.size() >= 4096;
                    arguments = new Object[] {o.threads(), o.size(), large ? 2 : 10, large ? 8 : 60};
                }
            }
        }

        /** One measurement: the median call or step, in ms. */
        double measure() throws ReflectiveOperationException {
            try {
                Object result = entry.invoke(null, arguments);
                if (options.workload().equals("w1")) {
                    double[] seconds = (double[]) result;
                    return Measure.median(seconds) * 1e3;
                }
                return (double) result.getClass().getMethod("median").invoke(result);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("the workload failed in " + options, e.getCause());
            }
        }

        private static URL[] urls(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a directory; give a build's jar directory, such as CHECKOUT/cli/target/lib");
            }
            List<URL> urls = new ArrayList<>();
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                for (Path jar : jars) {
                    urls.add(toUrl(jar));
                }
            }
            if (urls.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds no jars; build that checkout first (./mvnw -o package -DskipTests)");
            }
            urls.sort((x, y) -> x.toString().compareTo(y.toString()));
            return urls.toArray(new URL[0]);
        }

        private static URL toUrl(Path jar) {
            try {
                return jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(jar.toString(), e);
            }
        }
    }
}
