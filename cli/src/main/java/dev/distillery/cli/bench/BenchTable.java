package dev.distillery.cli.bench;

import dev.distillery.autograd.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code distillery bench} prints: the rows of ours beside PyTorch's with the speedup, as an
 * aligned table with PyTorch's record (BLAS, GEMM check, threads) in a footer, or as one JSON object.
 */
final class BenchTable {
    private BenchTable() {
    }

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

    static String json(List<Row> rows, List<String> envs, Map<String, Object> ours, Map<String, Object> torch) {
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
                    .append("]: ").append(e.getKey().equals("native") ? String.join(" and ", Bench.BLAS_ENV)
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

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blasLibraries(Map<String, Object> rec) {
        Object check = rec.get("check");
        if (!(check instanceof Map<?, ?> c) || !(c.get("blas") instanceof Map<?, ?> blas)
                || !(blas.get("libraries") instanceof List<?> libs)) {
            return List.of();
        }
        return (List<Map<String, Object>>) libs;
    }
}
