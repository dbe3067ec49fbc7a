package dev.distillery.cli.command;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.io.Json;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.bench.Gemm;
import dev.distillery.bench.workloads.Measure;
import dev.distillery.bench.workloads.W2Mlp;
import dev.distillery.bench.workloads.W3UNet;
import dev.distillery.bench.workloads.W4Sample;
import dev.distillery.cli.error.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the benchmark workloads W1-W4 (docs/BENCHMARKS.md, "Workloads") on the SIMD backend and,
 * when {@code /usr/bin/python3} can import torch, the repository's PyTorch programs of the same
 * workloads ({@code bench/torch/}) in the same invocation, then prints ours, torch's and the
 * speedup (> 1: faster than PyTorch; GFLOP/s and samples/s ours/torch, milliseconds torch/ours).
 * PyTorch runs with the same number of intra-op and OpenBLAS threads as ours.
 *
 * <p>PyTorch's side runs in child processes whose environment lacks {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} ({@code --torch-blas-env native}, the baseline): those variables force
 * OpenBLAS onto the kernel of another (older) CPU and a guessed cache size. {@code forced} keeps
 * them as this process has them; {@code both} runs both and reports the forced one beside the
 * baseline. Before any workload, {@code bench/torch/env_check.py} checks torch's float32 and
 * float64 GEMM against a float64 reference and reports the BLAS library (kernel, version), torch's
 * version and thread settings; the JSON output and the table's footer carry that record.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the W1-W4 benchmarks, ours beside PyTorch's measured in the same run.")
final class BenchCommand implements Callable<Integer> {

    /** The variables that force OpenBLAS's kernel choice; removed from the PyTorch side's environment unless forced. */
    static final List<String> BLAS_ENV = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer sizes and steps (about a minute without torch).")
    boolean quick;

    @Option(names = "--json", description = "Print a JSON object {rows: [{workload, variant, threads, unit, ours, torch,"
            + " speedup, ...}], ours: {...}, torch: {baseline, environments: {native: <BLAS, GEMM check, threads>}}}.")
    boolean json;

    @Option(names = "--threads", defaultValue = "1", split = ",", description = "Thread counts (default ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--workloads", defaultValue = "w1,w2,w3,w4", split = ",",
            description = "Which of w1, w2, w3, w4 to run (default ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--torch-scripts", paramLabel = "DIR",
            description = "The PyTorch programs env_check.py, w1_gemm.py .. w4_sample.py (default: bench/torch of this repository).")
    Path torchScripts;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-torch", description = "Skip the PyTorch column.")
    boolean noTorch;

    @Option(names = "--torch-blas-env", defaultValue = "native", paramLabel = "native|forced|both",
            description = "PyTorch's environment: native (default, the baseline) runs it without OPENBLAS_CORETYPE and"
                    + " OPENBLAS_L2_SIZE, so OpenBLAS picks its kernel for this CPU; forced keeps them as set here;"
                    + " both runs the two, forced in an extra column.")
    String torchBlasEnv;

    /** Whether the reference-BLAS note was printed (once per run, whatever the environments). */
    private boolean referenceNoted;

    /** W3's warm-up and measured steps, {full, --quick}: ours and torch's run the same counts. */
    private static final int[] W3_WARM = {10, 1};
    private static final int[] W3_STEPS = {60, 3};

    /**
     * One line of the table: ours, and PyTorch's value per BLAS environment (the first is the
     * baseline the speedup is taken against); extra: per-row details for the JSON (W4's network
     * evaluations, timed evaluations, runs).
     */
    record Row(String workload, String variant, int threads, String unit, double ours, Map<String, Double> torch,
               double foreign, Map<String, Object> extra) {
        Double torch(String env) {
            return torch.get(env);
        }

        /** Ours over PyTorch's in env's column, > 1 when ours is faster; null without that column. */
        Double speedup(String env) {
            Double t = torch.get(env);
            if (t == null) {
                return null;
            }
            return unit.endsWith("/s") ? ours / t : t / ours;
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
        List<String> envs = switch (torchBlasEnv) {
            case "native" -> List.of("native");
            case "forced" -> List.of("forced");
            case "both" -> List.of("native", "forced");
            default -> throw new CliException("--torch-blas-env: unknown value '" + torchBlasEnv
                    + "'; use native (the baseline), forced or both");
        };
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> torchRecord = new LinkedHashMap<>();
        torchRecord.put("baseline", envs.get(0));
        Map<String, Object> environments = new LinkedHashMap<>();
        torchRecord.put("environments", environments);
        List<String> ran = new ArrayList<>();
        if (noTorch) {
            torchRecord.put("skipped", "--no-torch");
        } else {
            for (String env : envs) {
                Map<String, Object> rec = preflight(env, envs.size() > 1, err);
                environments.put(env, rec);
                if (!rec.containsKey("skipped")) {
                    ran.add(env);
                }
            }
        }
        Path dir = scriptsDir();
        List<Row> rows = new ArrayList<>();
        for (String w : workloads) {
            List<Row> ours = ours(w, err);
            Map<String, Map<String, Map<String, Object>>> torch = new LinkedHashMap<>();
            for (String env : ran) {
                torch.put(env, torch(dir, w, env, err));
            }
            for (Row r : ours) {
                Map<String, Double> values = new LinkedHashMap<>();
                Map<String, Object> extra = new LinkedHashMap<>(r.extra);
                for (String env : ran) {
                    Map<String, Object> t = torch.get(env).get(r.variant + "|" + r.threads);
                    if (t != null) {
                        values.put(env, value(t));
                        if (t.get("reps") != null) { // W4: the runs, and samples/s of the median run beside the shortest's
                            String key = env.equals(envs.get(0)) ? "torch" : "torch_" + env;
                            extra.put(key + "_runs", t.get("reps"));
                            extra.put(key + "_median", t.get("median"));
                        }
                    }
                }
                rows.add(new Row(r.workload, r.variant, r.threads, r.unit, r.ours, values, r.foreign, extra));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(rows, envs, oursRecord(), torchRecord) : table(rows, envs) + footer(torchRecord));
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
                                    "GFLOP/s", 2.0 * n * n * n / med / 1e9, Map.of(), load.foreign(), Map.of()));
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
                    for (W4Sample.Result r : W4Sample.run(th, w4Plan())) {
                        Map<String, Object> extra = new LinkedHashMap<>();
                        extra.put("evals", r.evals());
                        extra.put("timed_evals", r.timedEvals());
                        extra.put("points", 10_000);
                        extra.put("ours_runs", r.ms().length);
                        extra.put("ours_median", r.medianSamplesPerSecond());
                        rows.add(new Row("W4 sampling", r.variant(), th, "samples/s", r.samplesPerSecond(), Map.of(),
                                r.foreign(), extra));
                    }
                }
            }
            err.println("bench: " + w + " threads=" + th + " done");
        }
        return rows;
    }

    private W4Sample.Plan w4Plan() {
        return quick ? W4Sample.Plan.QUICK : W4Sample.Plan.FULL;
    }

    private static Row row(String name, Measure.Cell c) {
        return new Row(name, c.variant(), c.threads(), "ms", c.median(), Map.of(), c.foreign(), Map.of());
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

    /**
     * Runs {@code env_check.py} in the BLAS environment {@code env}: its document (BLAS, GEMM
     * check, threads) with what this process removed or kept, or {"skipped": reason} after one
     * line on err that names the problem and the fix.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> preflight(String env, boolean several, PrintWriter err) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("blas_env", env);
        Map<String, Object> parent = new LinkedHashMap<>();
        for (String v : BLAS_ENV) {
            parent.put(v, System.getenv(v));
        }
        rec.put("parent_environment", parent);
        rec.put("removed", env.equals("native") ? BLAS_ENV : List.of());
        String column = several ? "no PyTorch column for --torch-blas-env " + env : "no PyTorch column";
        if (env.equals("forced") && several && parent.values().stream().allMatch(v -> v == null)) {
            String why = "neither " + String.join(" nor ", BLAS_ENV) + " is set here, so forced would repeat native";
            err.println("bench: " + column + ": " + why);
            rec.put("skipped", why);
            return rec;
        }
        Path dir = scriptsDir();
        if (!Files.isRegularFile(dir.resolve("env_check.py"))) {
            String why = "no env_check.py in " + dir + " (pass --torch-scripts DIR with this repository's bench/torch)";
            err.println("bench: " + column + ": " + why + "; --no-torch skips the PyTorch side");
            rec.put("skipped", why);
            return rec;
        }
        String th = String.join(",", threads.stream().map(String::valueOf).toList());
        Proc p = exec(List.of(python, dir.resolve("env_check.py").toString(), "--threads", th), 600, env, null);
        if (p.exit != 0 || p.last == null) {
            String why = p.failure != null ? p.failure
                    : p.errTail.isEmpty() ? "env_check.py exited with status " + p.exit : p.errTail.get(p.errTail.size() - 1);
            err.println("bench: " + column + ": " + why + "; --no-torch skips the PyTorch side");
            rec.put("skipped", why);
            return rec;
        }
        rec.put("check", Json.parse(p.last));
        for (Map<String, Object> lib : blasLibraries(rec)) {
            if ("reference".equals(lib.get("internal_api")) && !referenceNoted) {
                referenceNoted = true;
                err.println("bench: note: PyTorch's BLAS here is the reference BLAS (" + lib.get("package") + " "
                        + lib.get("package_version") + "), one thread and no CPU-specific kernel: its GEMM-bound rows"
                        + " are far below PyTorch's usual speed (Debian: apt-get install libopenblas0-pthread gives it"
                        + " OpenBLAS)");
            }
        }
        return rec;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> blasLibraries(Map<String, Object> rec) {
        Object check = rec.get("check");
        if (!(check instanceof Map<?, ?> c) || !(c.get("blas") instanceof Map<?, ?> blas)
                || !(blas.get("libraries") instanceof List<?> libs)) {
            return List.of();
        }
        return (List<Map<String, Object>>) libs;
    }

    /** Torch's rows keyed by "variant|threads": the programs name their rows as ours are named. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> torch(Path dir, String w, String env, PrintWriter err) {
        String th = String.join(",", threads.stream().map(String::valueOf).toList()); // "t" = torch t + OpenBLAS t
        List<String> cmd = new ArrayList<>(List.of(python));
        switch (w) {
            case "w1" -> cmd.addAll(List.of(dir.resolve("w1_gemm.py").toString(), "--threads", th,
                    "--sizes", quick ? "512" : "64,128,256,512,1024", "--dtypes", quick ? "float32" : "float32,float64"));
            case "w2" -> cmd.addAll(List.of(dir.resolve("w2_mlp.py").toString(), "--threads", th,
                    "--batches", quick ? "512" : "64,512,4096"));
            case "w3" -> cmd.addAll(List.of(dir.resolve("w3_unet.py").toString(), "--threads", th,
                    "--warm", String.valueOf(W3_WARM[quick ? 1 : 0]), "--steps", String.valueOf(W3_STEPS[quick ? 1 : 0])));
            default -> {
                W4Sample.Plan plan = w4Plan();
                cmd.addAll(List.of(dir.resolve("w4_sample.py").toString(), "--threads", th,
                        "--max-evals", String.valueOf(plan.maxEvals()), "--budget", String.valueOf(plan.budgetSeconds()),
                        "--max-reps", String.valueOf(plan.maxReps()), "--warm", String.valueOf(plan.warmSeconds()),
                        "--samplers", String.join(",", W4Sample.SAMPLERS)));
            }
        }
        if (quick && w.equals("w2")) {
            cmd.add("--quick");
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        String tag = ran(env);
        Proc p = exec(cmd, 3600, env, line -> err.println("  torch" + tag + ": " + line));
        if (p.exit != 0 || p.last == null) {
            err.println("bench: torch " + w + tag + " failed (" + (p.failure != null ? p.failure
                    : p.errTail.isEmpty() ? "exit status " + p.exit : p.errTail.get(p.errTail.size() - 1)) + "); no torch column for it");
            return out;
        }
        Map<String, Object> doc = (Map<String, Object>) Json.parse(p.last);
        for (Object o : (List<Object>) doc.get("rows")) {
            Map<String, Object> r = (Map<String, Object>) o;
            out.put(r.get("variant") + "|" + ((Number) r.get("threads")).intValue(), r);
        }
        return out;
    }

    private String ran(String env) {
        return torchBlasEnv.equals("both") ? " [" + env + "]" : "";
    }

    /** A torch row's value in its unit: "value" where the program states one (W4), else its median. */
    private static double value(Map<String, Object> r) {
        Object v = r.get("value") != null ? r.get("value") : r.get("median");
        return ((Number) v).doubleValue();
    }

    /**
     * The environment of the PyTorch side's processes: this process's, less {@link #BLAS_ENV}
     * when native, with DISTILLERY_TORCH_BLAS_ENV naming the choice for the programs' record, and
     * the harness's waits and retries off unless set.
     */
    static void torchEnvironment(Map<String, String> env, String blasEnv) {
        if (blasEnv.equals("native")) {
            BLAS_ENV.forEach(env::remove);
        }
        env.put("DISTILLERY_TORCH_BLAS_ENV", blasEnv);
        env.putIfAbsent("ANCHOR_QUIET_WAIT", "0");
        env.putIfAbsent("ANCHOR_RETRIES", "1");
    }

    /** A finished child: exit status, last non-blank stdout line, last stderr lines, or why it did not run. */
    record Proc(int exit, String last, List<String> errTail, String failure) {
    }

    /** Runs a command from the working directory in the PyTorch environment; stderr lines go to progress too. */
    private Proc exec(List<String> cmd, long timeoutSeconds, String blasEnv, Consumer<String> progress) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            torchEnvironment(pb.environment(), blasEnv);
            p = pb.start();
        } catch (IOException e) {
            return new Proc(-1, null, List.of(), "cannot run " + cmd.get(0) + " (" + e.getMessage()
                    + "); install python3 with torch (Debian: apt-get install python3-torch) or pass --python PATH");
        }
        String[] last = new String[1];
        Deque<String> tail = new ArrayDeque<>();
        Thread outReader = reader(p.getInputStream(), line -> {
            if (!line.isBlank()) {
                last[0] = line;
            }
        });
        Thread errReader = reader(p.getErrorStream(), line -> {
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
            if (progress != null) {
                progress.accept(line);
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, null, List.of(), "no result within " + timeoutSeconds + " s");
            }
            outReader.join();
            errReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Proc(-1, null, List.of(), "interrupted");
        }
        List<String> errTail;
        synchronized (tail) {
            errTail = tail.stream().filter(s -> !s.isBlank()).toList();
        }
        return new Proc(p.exitValue(), p.exitValue() == 0 ? last[0] : null, errTail, null);
    }

    private static Thread reader(InputStream in, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the child is gone; what was read stands
            }
        }, "bench-child-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Map<String, Object> oursRecord() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java", System.getProperty("java.version"));
        m.put("vm", System.getProperty("java.vm.name"));
        m.put("backend", "simd");
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("threads", threads);
        m.put("quick", quick);
        if (workloads.contains("w4")) {
            W4Sample.Plan plan = w4Plan();
            Map<String, Object> w4 = new LinkedHashMap<>();
            w4.put("max_evals", plan.maxEvals());
            w4.put("budget_seconds", plan.budgetSeconds());
            w4.put("max_reps", plan.maxReps());
            w4.put("warm_seconds", plan.warmSeconds());
            m.put("w4_plan", w4);
        }
        return m;
    }

    static String toJson(List<Row> rows, List<String> envs, Map<String, Object> ours, Map<String, Object> torch) {
        List<Object> list = new ArrayList<>();
        String baseline = envs.get(0);
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", r.workload);
            m.put("variant", r.variant);
            m.put("threads", r.threads);
            m.put("unit", r.unit);
            m.put("ours", r.ours);
            m.put("torch", r.torch(baseline));
            m.put("speedup", r.speedup(baseline));
            for (String env : envs.subList(1, envs.size())) {
                m.put("torch_" + env, r.torch(env));
                m.put("speedup_" + env, r.speedup(env));
            }
            m.put("foreign_cpu", r.foreign);
            m.putAll(r.extra);
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rows", list);
        doc.put("ours", ours);
        doc.put("torch", torch);
        return Json.write(doc);
    }

    static String table(List<Row> rows, List<String> envs) {
        StringBuilder sb = new StringBuilder();
        boolean second = envs.size() > 1;
        sb.append(String.format(Locale.ROOT, "%-14s %-16s %7s %-9s %10s %10s %8s", "workload", "variant", "threads",
                "unit", "ours", "torch", "speedup"));
        if (second) {
            sb.append(String.format(Locale.ROOT, " %12s %8s", "torch-" + envs.get(1), "speedup"));
        }
        sb.append(String.format(Locale.ROOT, " %8s%n", "foreign"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-14s %-16s %7d %-9s %10.2f %10s %8s", r.workload, r.variant,
                    r.threads, r.unit, r.ours, num(r.torch(envs.get(0))), num(r.speedup(envs.get(0)))));
            if (second) {
                sb.append(String.format(Locale.ROOT, " %12s %8s", num(r.torch(envs.get(1))), num(r.speedup(envs.get(1)))));
            }
            sb.append(String.format(Locale.ROOT, " %8.2f%n", r.foreign));
        }
        sb.append("speedup > 1: faster than PyTorch (GFLOP/s, samples/s: ours/torch; ms: torch/ours); foreign = cores used"
                + " by other processes meanwhile (> 0.15: contaminated)\n");
        int timed = rows.stream().filter(r -> r.extra.get("timed_evals") instanceof Integer)
                .mapToInt(r -> (Integer) r.extra.get("timed_evals")).max().orElse(0);
        if (timed > 0) {
            sb.append("W4: samples/s of a whole run on 10,000 points, from the shortest timed run of a sampler's first"
                    + " min(evaluations, " + timed + ") network evaluations scaled to all of them (ddpm1000: 1000,"
                    + " ddim50: 50, studentN: N)\n");
        }
        return sb.toString();
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The PyTorch side's record in a few lines: per BLAS environment, the BLAS, the GEMM check and the threads. */
    @SuppressWarnings("unchecked")
    static String footer(Map<String, Object> torch) {
        StringBuilder sb = new StringBuilder();
        if (torch.get("skipped") != null) {
            return sb.append("torch: skipped (").append(torch.get("skipped")).append(")\n").toString();
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) torch.get("environments")).entrySet()) {
            Map<String, Object> rec = (Map<String, Object>) e.getValue();
            Map<String, Object> parent = (Map<String, Object>) rec.get("parent_environment");
            String vars = parent.entrySet().stream().map(v -> v.getKey() + (v.getValue() == null ? " unset" : "=" + v.getValue()))
                    .reduce((a, b) -> a + ", " + b).orElse("");
            sb.append("torch [").append(e.getKey()).append(e.getKey().equals(torch.get("baseline")) ? ", baseline" : "")
                    .append("]: ").append(e.getKey().equals("native") ? String.join(" and ", BLAS_ENV)
                            + " removed from its environment (here: " + vars + ")" : "environment as here (" + vars + ")");
            if (rec.get("skipped") != null) {
                sb.append("; skipped: ").append(rec.get("skipped")).append('\n');
                continue;
            }
            Map<String, Object> check = (Map<String, Object>) rec.get("check");
            sb.append("; torch ").append(check.get("torch")).append(", python ").append(check.get("python"))
                    .append(", numpy ").append(check.get("numpy")).append('\n');
            Map<String, Object> blas = (Map<String, Object>) check.get("blas");
            for (Map<String, Object> lib : blasLibraries(rec)) {
                sb.append("  BLAS: ").append(lib.get("internal_api")).append(' ').append(lib.get("version"))
                        .append(", kernel ").append(lib.get("architecture") == null ? "none (no runtime kernel selection)"
                                : lib.get("architecture"))
                        .append(", ").append(lib.get("realpath"));
                if (lib.get("package") != null) {
                    sb.append(" (").append(lib.get("package")).append(' ').append(lib.get("package_version")).append(')');
                }
                if (lib.get("config") != null) {
                    sb.append(", ").append(lib.get("config"));
                }
                sb.append('\n');
            }
            Map<String, Object> tpc = (Map<String, Object>) blas.get("threadpoolctl");
            Map<String, Object> cfg = (Map<String, Object>) blas.get("torch_config");
            sb.append("  threadpoolctl: ").append(Boolean.TRUE.equals(tpc.get("available"))
                    ? "threadpool_info() " + Json.write(tpc.get("threadpool_info")).strip() : "not installed")
                    .append("; torch BLAS_INFO=").append(cfg.get("BLAS_INFO")).append(", CPU capability ")
                    .append(cfg.get("cpu_capability")).append('\n');
            for (Object o : (List<Object>) check.get("gemm_check")) {
                Map<String, Object> g = (Map<String, Object>) o;
                Map<String, Object> errs = (Map<String, Object>) g.get("max_error");
                Map<String, Object> tol = (Map<String, Object>) g.get("tolerance");
                sb.append(String.format(Locale.ROOT, "  GEMM check (threads %s): float32 %.2g (tol %.0g), float64 %.2g"
                                + " (tol %.0g) of (|A||B|)_ij against a float64 reference without BLAS: %s%n",
                        g.get("threads"), dbl(errs.get("float32")), dbl(tol.get("float32")), dbl(errs.get("float64")),
                        dbl(tol.get("float64")), Boolean.TRUE.equals(g.get("passed")) ? "passed" : "FAILED"));
            }
            for (Object o : (List<Object>) check.get("threads")) {
                Map<String, Object> t = (Map<String, Object>) o;
                Map<String, Object> req = (Map<String, Object>) t.get("requested");
                Object blasThreads = t.get("openblas_get_num_threads()");
                sb.append("  threads ").append(req.get("torch")).append(':').append(req.get("blas"))
                        .append(": torch.get_num_threads() ").append(t.get("torch.get_num_threads()"))
                        .append(", interop ").append(t.get("torch.get_num_interop_threads()"))
                        .append(", OpenBLAS threads ").append(blasThreads == null ? "n/a (no OpenBLAS)" : blasThreads)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static double dbl(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
