package dev.distillery.cli.bench;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.io.Json;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.bench.Gemm;
import dev.distillery.bench.workloads.Measure;
import dev.distillery.bench.workloads.W2Mlp;
import dev.distillery.bench.workloads.W3UNet;
import dev.distillery.bench.workloads.W4Sample;
import dev.distillery.cli.bench.BenchTable.Row;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What {@code distillery bench} does: runs the benchmark workloads W1-W4 (docs/BENCHMARKS.md, "Workloads") on the SIMD backend and,
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
public final class Bench {

    /** The variables that force OpenBLAS's kernel choice; removed from the PyTorch side's environment unless forced. */
    static final List<String> BLAS_ENV = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /** W3's warm-up and measured steps, {full, --quick}: ours and torch's run the same counts. */
    private static final int[] W3_WARM = {10, 1};
    private static final int[] W3_STEPS = {60, 3};

    private final boolean quick;
    private final List<Integer> threads;
    private final List<String> workloads;
    private final Path torchScripts;
    private final String python;
    private final boolean noTorch;
    private final String torchBlasEnv;
    /** PyTorch's BLAS environments, the baseline first. */
    private final List<String> envs;

    /** Whether the reference-BLAS note was printed (once per run, whatever the environments). */
    private boolean referenceNoted;

    /**
     * A run of {@code workloads} (w1 .. w4) at each of {@code threads}, beside PyTorch's programs in
     * {@code torchScripts} (null: those of this repository) run by {@code python} in the BLAS
     * environments of {@code torchBlasEnv} (native, forced or both; checked here), unless
     * {@code noTorch}.
     */
    public Bench(boolean quick, List<Integer> threads, List<String> workloads, Path torchScripts, String python,
                 boolean noTorch, String torchBlasEnv) {
        this.envs = environments(torchBlasEnv);
        this.quick = quick;
        this.threads = List.copyOf(threads);
        this.workloads = List.copyOf(workloads);
        this.torchScripts = torchScripts;
        this.python = python;
        this.noTorch = noTorch;
        this.torchBlasEnv = torchBlasEnv;
    }

    /** {@code --torch-blas-env}'s environments, the baseline first, or a one-line error. */
    private static List<String> environments(String torchBlasEnv) {
        return switch (torchBlasEnv) {
            case "native" -> List.of("native");
            case "forced" -> List.of("forced");
            case "both" -> List.of("native", "forced");
            default -> throw new CliException("--torch-blas-env: unknown value '" + torchBlasEnv
                    + "'; use native (the baseline), forced or both");
        };
    }

    /**
     * Runs every workload, ours then PyTorch's, with progress and notes on {@code err}; returns the
     * JSON object, or the table and PyTorch's record, to print.
     */
    public String run(boolean json, PrintWriter err) {
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
                Map<String, Object> extra = new LinkedHashMap<>(r.extra());
                for (String env : ran) {
                    Map<String, Object> t = torch.get(env).get(r.variant() + "|" + r.threads());
                    if (t != null) {
                        values.put(env, value(t));
                        if (t.get("reps") != null) { // W4: the runs, and samples/s of the median run beside the shortest's
                            String key = env.equals(envs.get(0)) ? "torch" : "torch_" + env;
                            extra.put(key + "_runs", t.get("reps"));
                            extra.put(key + "_median", t.get("median"));
                        }
                    }
                }
                rows.add(new Row(r.workload(), r.variant(), r.threads(), r.unit(), r.ours(), values, r.foreign(), extra));
            }
        }
        return json ? BenchTable.json(rows, envs, oursRecord(), torchRecord)
                : BenchTable.table(rows, envs) + BenchTable.footer(torchRecord);
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
        for (Map<String, Object> lib : BenchTable.blasLibraries(rec)) {
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
}
