package dev.distillery.bench.workloads;

import com.sun.management.OperatingSystemMXBean;
import dev.distillery.autograd.io.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Timing helpers shared by the workloads, mirroring {@code bench/torch/harness.py}: the CPU
 * other processes used while a cell ran ("foreign", in cores, from /proc/stat minus our own
 * process time), an optional wait for a quiet machine (ANCHOR_QUIET_WAIT seconds, default 0 here),
 * a first pass through the young generation before the first cell, and min/median/max statistics.
 */
public final class Measure {
    /**
     * The JSON document a workload main prints as its last stdout line: one line, keys in the order
     * the bench scripts read them, strings through {@link Json#string}.
     */
    static String document(String bench, List<Cell> cells) {
        return "{\"bench\":" + Json.string(bench) + ",\"info\":{\"java\":" + Json.string(System.getProperty("java.version"))
                + ",\"nproc\":" + Runtime.getRuntime().availableProcessors() + ",\"backend\":\"simd\"},\"rows\":["
                + cells.stream().map(Cell::json).collect(Collectors.joining(",")) + "]}";
    }

    static final double FOREIGN_MAX = env("ANCHOR_FOREIGN_MAX", 0.15);
    static final double QUIET_WAIT = env("ANCHOR_QUIET_WAIT", 0);
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Measure() {
    }

    /** One measured cell: per-repetition milliseconds and the foreign load during them. */
    public record Cell(String workload, String variant, int threads, double[] ms, double foreign) {
        public double median() {
            return Measure.median(ms);
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"workload\":\"%s\",\"variant\":\"%s\",\"threads\":%d,"
                            + "\"ms\":{\"min\":%.4f,\"median\":%.4f,\"max\":%.4f,\"n\":%d},\"load\":{\"foreign_cpu\":%.3f}}",
                    workload, variant, threads, min(ms), median(), max(ms), ms.length, foreign);
        }
    }

    /** CPU used by other processes between {@link #start()} and {@link #foreign()}. */
    public static final class Load {
        private long t0;
        private long busy0;
        private long own0;

        public static Load start() {
            Load l = new Load();
            l.t0 = System.nanoTime();
            l.busy0 = busyTicks();
            l.own0 = OS.getProcessCpuTime();
            return l;
        }

        public double foreign() {
            double dt = (System.nanoTime() - t0) / 1e9;
            double busy = (busyTicks() - busy0) / 100.0; // USER_HZ = 100 on Linux
            double own = (OS.getProcessCpuTime() - own0) / 1e9;
            return dt <= 0 || busy < 0 ? 0.0 : Math.max(0.0, (busy - own) / dt);
        }
    }

    /** Bytes of each array {@link #primeYoungGeneration} allocates: far below G1's humongous size, so they land in eden. */
    private static final int PRIME_CHUNK = 1 << 16;
    private static boolean primed;
    /** Where the priming arrays go, so that no compiler can drop their allocation. */
    static volatile byte[] primeSink;

    /**
     * Before a cell is timed: the young generation touched once (in the first call of this JVM),
     * then {@link #waitQuiet}. A fresh JVM's young generation is untouched memory, and this VM
     * page-faults it at ~0.4 GB/s (2.6 s per GiB), so the steps that first run through it are
     * several times slower than every later step (W2 batch 512, one thread: 24-33 ms a step for
     * 400 steps, then 4.2-5 ms). PyTorch's caching allocator reuses its blocks from the first
     * step, and its scripts time the steady state; so do we, whatever order the cells run in.
     */
    public static void prepareCell() {
        primeYoungGeneration();
        waitQuiet();
    }

    private static synchronized void primeYoungGeneration() {
        if (primed) {
            return;
        }
        primed = true;
        long young = Math.min(youngGenerationBytes(), Runtime.getRuntime().maxMemory() / 2);
        for (long done = 0; done < young; done += PRIME_CHUNK) {
            byte[] a = new byte[PRIME_CHUNK];
            a[PRIME_CHUNK - 1] = 1;
            primeSink = a;
        }
        primeSink = null;
    }

    /** The young generation's maximum size (MaxNewSize; the launcher sets it with -Xmn). */
    static long youngGenerationBytes() {
        try {
            var hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Long.parseLong(hs.getVMOption("MaxNewSize").getValue());
        } catch (RuntimeException e) {
            return Runtime.getRuntime().maxMemory() / 3;
        }
    }

    /** Waits up to ANCHOR_QUIET_WAIT seconds for a second in which others used under FOREIGN_MAX cores. */
    public static void waitQuiet() {
        long deadline = System.nanoTime() + (long) (QUIET_WAIT * 1e9);
        while (System.nanoTime() < deadline) {
            Load l = Load.start();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (l.foreign() < FOREIGN_MAX) {
                return;
            }
        }
    }

    static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static double median(double[] v) {
        return v.length == 0 ? Double.NaN : quantile(v, 0.5);
    }

    /**
     * The q-quantile of a non-empty v, interpolating linearly between the order statistics at
     * (n - 1) q (the median: the middle one, or the mean of the middle two).
     */
    public static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double at = (s.length - 1) * q;
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (at - lo) * (s[hi] - s[lo]);
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    static double env(String name, double dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Double.parseDouble(v);
    }

    /** Value of {@code --name} in args, or the default. */
    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    /** The DDPM schedule of W2-W4: T = 1000, betas linspace(1e-4, 0.02) in float64, then rounded to float32. */
    static double[][] schedule() {
        int n = 1000;
        double[] betas = new double[n];
        double[] alphas = new double[n];
        double[] ab = new double[n];
        double acc = 1.0;
        for (int i = 0; i < n; i++) {
            double b = 1e-4 + (0.02 - 1e-4) * i / (n - 1);
            acc *= 1.0 - b;
            betas[i] = (float) b;
            alphas[i] = (float) (1.0 - b);
            ab[i] = (float) acc;
        }
        return new double[][] {betas, alphas, ab};
    }
}
