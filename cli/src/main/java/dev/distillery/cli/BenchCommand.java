package dev.distillery.cli;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.bench.Gemm;
import dev.distillery.bench.workloads.Measure;
import dev.distillery.bench.workloads.W2Mlp;
import dev.distillery.bench.workloads.W3UNet;
import dev.distillery.bench.workloads.W4Sample;
import dev.distillery.nn.checkpoint.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the benchmark workloads W1-W4 (docs/BENCHMARKS.md, "Workloads") on the SIMD backend and,
 * when {@code /usr/bin/python3} can import torch, the repository's PyTorch programs of the same
 * workloads ({@code bench/torch/}) in the same invocation, then prints ours, torch's and the
 * speedup (> 1: faster than PyTorch; GFLOP/s for W1 so ours/torch, milliseconds elsewhere so
 * torch/ours). PyTorch runs with the same number of intra-op and OpenBLAS threads as ours.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the W1-W4 benchmarks, ours beside PyTorch's measured in the same run.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer sizes and steps (about a minute without torch).")
    boolean quick;

    @Option(names = "--json", description = "Print a JSON list of {workload, variant, threads, unit, ours, torch, speedup}.")
    boolean json;

    @Option(names = "--threads", defaultValue = "1", split = ",", description = "Thread counts (default ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--workloads", defaultValue = "w1,w2,w3,w4", split = ",",
            description = "Which of w1, w2, w3, w4 to run (default ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--torch-scripts", paramLabel = "DIR",
            description = "The PyTorch programs w1_gemm.py .. w4_sample.py (default: bench/torch of this repository).")
    Path torchScripts;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-torch", description = "Skip the PyTorch column.")
    boolean noTorch;

    /** W3's warm-up and measured steps, {full, --quick}: ours and torch's run the same counts. */
    private static final int[] W3_WARM = {10, 1};
    private static final int[] W3_STEPS = {60, 3};

    /** One line of the table. */
    record Row(String workload, String variant, int threads, String unit, double ours, Double torch, double foreign) {
        Double speedup() {
            if (torch == null) {
                return null;
            }
            return unit.equals("GFLOP/s") ? ours / torch : torch / ours;
        }
    }

    @Override
    public Integer call() {
        for (String w : workloads) {
            if (!List.of("w1", "w2", "w3", "w4").contains(w)) {
                throw new CliException("--workloads: unknown workload '" + w + "'; use w1, w2, w3, w4");
            }
        }
        for (int t : threads) {
            if (t < 1) {
                throw new CliException("--threads must be at least 1, got " + t);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Path torchDir = torchScripts();
        if (torchDir == null && !noTorch) {
            err.println("bench: no torch column (" + python + " cannot import torch, or no w1_gemm.py in "
                    + scriptsDir() + "; pass --torch-scripts DIR)");
        }
        List<Row> rows = new ArrayList<>();
        for (String w : workloads) {
            List<Row> ours = ours(w, err);
            Map<String, Double> torch = torchDir == null ? Map.of() : torch(torchDir, w, err);
            for (Row r : ours) {
                rows.add(new Row(r.workload, r.variant, r.threads, r.unit, r.ours,
                        torch.get(r.variant + "|" + r.threads), r.foreign));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(rows) + "\n" : table(rows));
        out.flush();
        return 0;
    }

    private List<Row> ours(String w, PrintWriter err) {
        List<Row> rows = new ArrayList<>();
        for (int th : threads) {
            switch (w) {
                case "w1" -> {
                    SimdBackend be = new SimdBackend(th);
                    for (int n : quick ? new int[] {512} : new int[] {64, 128, 256, 512, 1024}) {
                        for (DType dt : quick ? new DType[] {DType.F32} : new DType[] {DType.F32, DType.F64}) {
                            Measure.Load load = Measure.Load.start();
                            double med = Measure.median(Gemm.secondsPerCall(be, dt, n));
                            rows.add(new Row("W1 GEMM", (dt == DType.F32 ? "float32" : "float64") + " N=" + n, th,
                                    "GFLOP/s", 2.0 * n * n * n / med / 1e9, null, load.foreign()));
                        }
                    }
                }
                case "w2" -> {
                    for (int b : quick ? new int[] {512} : new int[] {64, 512, 4096}) {
                        rows.add(row("W2 MLP step", W2Mlp.run(th, b, quick)));
                    }
                }
                case "w3" -> rows.add(row("W3 U-Net step", W3UNet.run(th, 128, W3_WARM[quick ? 1 : 0], W3_STEPS[quick ? 1 : 0])));
                default -> {
                    rows.add(row("W4 sampling", W4Sample.run(th, "ddim50", quick ? 1 : 5)));
                    rows.add(row("W4 sampling", W4Sample.run(th, "ddpm1000", quick ? 1 : 3)));
                }
            }
            err.println("bench: " + w + " threads=" + th + " done");
        }
        return rows;
    }

    private static Row row(String name, Measure.Cell c) {
        return new Row(name, c.variant(), c.threads(), "ms", c.median(), null, c.foreign());
    }

    /** The PyTorch programs' folder when torch is importable there, else null. */
    private Path torchScripts() {
        if (noTorch) {
            return null;
        }
        Path dir = scriptsDir();
        if (!Files.isRegularFile(dir.resolve("w1_gemm.py"))) {
            return null;
        }
        try {
            return exec(List.of(python, "-c", "import torch"), 120) != null ? dir : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code --torch-scripts}, else {@code bench/torch} under the repository the launcher runs from
     * (it passes {@code -Ddistillery.home}), else under the working directory.
     */
    private Path scriptsDir() {
        if (torchScripts != null) {
            return torchScripts;
        }
        return Path.of(System.getProperty("distillery.home", "."), "bench", "torch");
    }

    /** Torch medians keyed by "variant|threads": the programs name their rows as ours are named. */
    @SuppressWarnings("unchecked")
    private Map<String, Double> torch(Path dir, String w, PrintWriter err) {
        String th = String.join(",", threads.stream().map(String::valueOf).toList()); // "t" = torch t + OpenBLAS t
        List<String> cmd = new ArrayList<>(List.of(python));
        switch (w) {
            case "w1" -> cmd.addAll(List.of(dir.resolve("w1_gemm.py").toString(), "--threads", th,
                    "--sizes", quick ? "512" : "64,128,256,512,1024", "--dtypes", quick ? "float32" : "float32,float64"));
            case "w2" -> cmd.addAll(List.of(dir.resolve("w2_mlp.py").toString(), "--threads", th,
                    "--batches", quick ? "512" : "64,512,4096"));
            case "w3" -> cmd.addAll(List.of(dir.resolve("w3_unet.py").toString(), "--threads", th,
                    "--warm", String.valueOf(W3_WARM[quick ? 1 : 0]), "--steps", String.valueOf(W3_STEPS[quick ? 1 : 0])));
            default -> cmd.addAll(List.of(dir.resolve("w4_sample.py").toString(), "--threads", th,
                    "--ddim-reps", quick ? "1" : "5", "--ddpm-reps", quick ? "1" : "3"));
        }
        if (quick && w.equals("w2")) {
            cmd.add("--quick");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String last = exec(cmd, 3600);
        if (last == null) {
            err.println("bench: torch " + w + " failed; no torch column for it");
            return out;
        }
        Map<String, Object> doc = (Map<String, Object>) Json.parse(last);
        for (Object o : (List<Object>) doc.get("rows")) {
            Map<String, Object> r = (Map<String, Object>) o;
            out.put(r.get("variant") + "|" + ((Number) r.get("threads")).intValue(), ((Number) r.get("median")).doubleValue());
        }
        return out;
    }

    /** Runs a command from the working directory; its last stdout line, or null on failure. */
    private static String exec(List<String> cmd, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putIfAbsent("ANCHOR_QUIET_WAIT", "0");
            pb.environment().putIfAbsent("ANCHOR_RETRIES", "1");
            Process p = pb.start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) {
                        last = line;
                    }
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? (last == null ? "" : last) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String toJson(List<Row> rows) {
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", r.workload);
            m.put("variant", r.variant);
            m.put("threads", r.threads);
            m.put("unit", r.unit);
            m.put("ours", r.ours);
            m.put("torch", r.torch);
            m.put("speedup", r.speedup());
            m.put("foreign_cpu", r.foreign);
            list.add(m);
        }
        return Json.write(list);
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s %-16s %7s %-8s %10s %10s %8s %8s%n",
                "workload", "variant", "threads", "unit", "ours", "torch", "speedup", "foreign"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-14s %-16s %7d %-8s %10.2f %10s %8s %8.2f%n", r.workload, r.variant,
                    r.threads, r.unit, r.ours, r.torch == null ? "-" : String.format(Locale.ROOT, "%.2f", r.torch),
                    r.speedup() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.speedup()), r.foreign));
        }
        sb.append("speedup > 1: faster than PyTorch (GFLOP/s: ours/torch; ms: torch/ours); foreign = cores used by"
                + " other processes meanwhile (> 0.15: contaminated)\n");
        return sb.toString();
    }
}
