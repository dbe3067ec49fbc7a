package dev.distillery.cli.run;



import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.data.Criterion;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Metrics;
import dev.distillery.cli.data.Rows;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.report.FrontierPlot;
import dev.distillery.cli.report.MetricsTable;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.sampling.DpmSolverPlusPlus2M;
import dev.distillery.diffusion.sampling.HeunSampler;
import dev.distillery.diffusion.schedule.EdmConfig;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teacher's own quality-versus-cost frontier, and where the students sit on it: the teacher's
 * samplers swept over NFE on the run's noise and measured like every row, the figure of quality
 * against NFE and against sampling seconds, and each student's speedup over the teacher's
 * DDPM-1000 at equal-or-better coverage.
 */
public final class Frontier {
    private Frontier() {
    }

    /** Method name of a sampler's rows in {@code frontier.csv}: "teacher-" + its key. */
    public static String rowName(Sampler s) {
        return "teacher-" + s.key;
    }

    /**
     * The teacher's samplers and the NFE they are swept at. DDIM and DPM-Solver++ spend one network
     * evaluation per step, Heun (EDM) {@code 2 n - 1} for n steps (the last step, to sigma = 0, is
     * Euler), DDPM one per step.
     */
    public enum Sampler {
        /** Deterministic DDIM (Song et al. 2021), uniform times from the teacher's start time. */
        DDIM("ddim", 1, 2, 4, 8, 16, 32, 50, 100),
        /** DPM-Solver++(2M) (Lu et al. 2022) on the teacher's uniform-time grid ({@link #edmGrid}). */
        DPMPP_2M("dpm++2m", 2, 4, 8, 16, 32),
        /** Heun's second-order ODE solver (Karras et al. 2022, Algorithm 1), same grid. */
        HEUN("heun", 3, 7, 15, 31),
        /** Ancestral DDPM (Ho et al. 2020) as DDIM with eta = 1 over uniform times (identity I9). */
        DDPM("ddpm", 10, 25, 50, 100, 250, 1000);

        public final String key;
        private final int[] nfes;

        Sampler(String key, int... nfes) {
            this.key = key;
            this.nfes = nfes;
        }

        public int[] nfes() {
            return nfes.clone();
        }

        /** {@code nfe} network evaluations of this sampler from {@code noise}; {@code key} seeds DDPM's noise. */
        Tensor sample(Teacher teacher, Tensor noise, int nfe, RngKey key) {
            return switch (this) {
                case DDIM -> teacher.ddim(noise, nfe);
                case DDPM -> DdimSampler.sample(teacher.denoiser(), noise, teacher.times(nfe), 1.0,
                        Condition.NONE, key, null, null);
                // both end at sigma = 0, where the EDM state x = z / alpha is the sample itself
                case DPMPP_2M -> DpmSolverPlusPlus2M.sample(teacher.denoiser(), startEdm(teacher, noise),
                        edmGrid(teacher, nfe), Condition.NONE, null, null);
                case HEUN -> HeunSampler.sample(teacher.denoiser(), startEdm(teacher, noise),
                        edmGrid(teacher, (nfe + 1) / 2), Condition.NONE, null, null);
            };
        }
    }

    /**
     * EDM sigma_max for this teacher: the paper's 80, or less where the teacher's start time has a
     * smaller noise level (the cosine schedule's alpha vanishes at t = 1, so the analytic teacher
     * allows 80).
     */
    static double sigmaMax(Teacher teacher) {
        double s = teacher.denoiser().schedule().sigmaEdm(teacher.startTime());
        return Double.isFinite(s) ? Math.min(EdmConfig.DEFAULTS.sigmaMax(), s) : EdmConfig.DEFAULTS.sigmaMax();
    }

    /**
     * The EDM noise levels of DDIM's grid: {@code sigma_edm(t_i)} at the uniform times
     * {@code t_i = start (n - i) / n}, the first capped at {@link #sigmaMax}, ending at 0. All four
     * samplers walk the same times, so the figure compares solvers, not grids. EDM's own Karras
     * grid (rho = 7, sigma_min 0.002) is tuned for images: on 25-Gaussians it leaves too few levels
     * where the modes separate (sigma about 1 to 5), and DPM-Solver++(2M) at 8 NFE covered 0 modes
     * on it against 25 (hq 0.99) on this grid, which would make every few-step student look good.
     */
    static double[] edmGrid(Teacher teacher, int steps) {
        double[] t = teacher.times(steps);
        double[] sigmas = new double[steps + 1];
        double cap = sigmaMax(teacher);
        for (int i = 0; i < steps; i++) {
            double s = Math.min(cap, teacher.denoiser().schedule().sigmaEdm(t[i]));
            // strictly decreasing even where the cap flattens the top of a fine grid
            sigmas[i] = i > 0 && s >= sigmas[i - 1] ? sigmas[i - 1] * 0.999 : s;
        }
        sigmas[steps] = 0.0;
        return sigmas;
    }

    /** EDM samplers start at x = sigma_0 * noise (Karras et al. 2022, Algorithm 1, line 2). */
    private static Tensor startEdm(Teacher teacher, Tensor noise) {
        return noise.mul(sigmaMax(teacher));
    }

    /**
     * One measured sampler setting.
     *
     * @param samples kept for reuse as a reference row (may be dropped by callers)
     */
    record Point(Sampler sampler, int nfe, double seconds, Map<String, Double> metrics, double[][] samples) {
    }

    /**
     * Every sampler at every NFE up to {@code maxNfe} on the evaluation's noise; a failing setting is
     * left out and reported.
     */
    static List<Point> sweep(Teacher teacher, Evaluation eval, int maxNfe, Progress progress, List<String> failures) {
        List<Point> points = new ArrayList<>();
        int total = 0;
        for (Sampler s : Sampler.values()) {
            total += (int) java.util.Arrays.stream(s.nfes).filter(n -> n <= maxNfe).count();
        }
        progress.start("teacher frontier", total);
        int done = 0;
        try {
            for (Sampler s : Sampler.values()) {
                for (int nfe : s.nfes) {
                    if (nfe > maxNfe) {
                        continue;
                    }
                    long start = System.nanoTime();
                    try {
                        RngKey key = keyFor(eval, s, nfe);
                        double[][] x = Rows.of(s.sample(teacher, eval.noise(), nfe, key));
                        double seconds = MethodRun.seconds(start);
                        points.add(new Point(s, nfe, seconds, eval.measure(x, nfe), x));
                    } catch (RuntimeException e) {
                        failures.add("teacher " + s.key + " at NFE " + nfe + " failed: " + CliException.describe(e));
                    }
                    progress.update(++done, Map.of());
                }
            }
        } finally {
            progress.finish();
        }
        return points;
    }

    /** One noise key per setting, apart from the students' (which fold their step count into the same key). */
    static RngKey keyFor(Evaluation eval, Sampler s, int nfe) {
        return eval.key().fold(1_000_000L + 10_000L * s.ordinal() + nfe);
    }

    /** The points as a table ({@code frontier.csv}): method = teacher-sampler, steps = NFE. */
    static MetricsTable table(List<Point> points) {
        MetricsTable t = new MetricsTable();
        for (Point p : points) {
            t.add(rowName(p.sampler()), p.nfe(), p.metrics(), Double.NaN, p.seconds());
        }
        return t;
    }

    /** Column of the speedup table: DDPM-1000's NFE over the student's. */
    static final String SPEEDUP_NFE = "speedup_nfe";
    /** Column of the speedup table: DDPM-1000's sampling seconds over the student's. */
    static final String SPEEDUP_SECONDS = "speedup_seconds";
    /** Text column of the speedup table. */
    static final String REACHES = "reaches_teacher_ddpm";

    /**
     * Whether {@code row} has equal-or-better coverage than {@code ref}: on the first two verdict
     * criteria of the dataset, at least the reference's value, less one unit for a count (modes:
     * one mode is noise). On 25-Gaussians: modes &gt;= ref - 1 and hq_fraction &gt;= ref.
     */
    static boolean reaches(Dataset dataset, MetricsTable.Row row, MetricsTable.Row ref) {
        List<Criterion> cs = Metrics.of(dataset).criteria();
        for (int i = 0; i < Math.min(2, cs.size()); i++) {
            Criterion c = cs.get(i);
            double slack = c.noise() == Criterion.Noise.ONE_UNIT ? 1.0 : 0.0;
            double a = row.metric(c.metric());
            double b = ref.metric(c.metric());
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                return false;
            }
            if (c.higherIsBetter() ? a < b - slack : a > b + slack) {
                return false;
            }
        }
        return true;
    }

    /** Column of the speedup table: the fewest teacher NFE (any sampler) that match the student. */
    static final String TEACHER_NFE = "teacher_nfe_at_equal_quality";
    /** Column of the speedup table: {@link #TEACHER_NFE} over the student's NFE at its natural step count. */
    static final String NFE_SAVING = "nfe_saving";

    /**
     * Speedup at equal quality (in the spirit of Salimans &amp; Ho 2022, "Progressive distillation":
     * the sampling cost saved at matched sample quality), two ways for each student method of
     * {@code results}:
     * <ul>
     *   <li>against the teacher's DDPM-1000 ({@code ref}): the student's smallest NFE that
     *       {@link #reaches} it, and the ratios of the reference's NFE and sampling seconds to the
     *       student's there; "none" when no step count reaches it (steps 0, ratios empty);</li>
     *   <li>against the teacher's whole frontier: at the student's natural step count
     *       ({@code naturalSteps}), the fewest NFE at which any of the teacher's samplers of
     *       {@code frontier} reaches the student ({@link #TEACHER_NFE}), and its ratio to the
     *       student's NFE ({@link #NFE_SAVING}): what one student evaluation is worth in teacher
     *       evaluations. Empty when no teacher point reaches it (the student is better than the
     *       whole sweep) or the student has no row at that step count.</li>
     * </ul>
     */
    static MetricsTable speedups(Dataset dataset, MetricsTable results, MetricsTable.Row ref, List<String> students,
                                 Map<String, Integer> naturalSteps, List<Point> frontier) {
        MetricsTable t = new MetricsTable();
        for (String method : students) {
            MetricsTable.Row best = null;
            MetricsTable.Row natural = null;
            for (MetricsTable.Row r : results.rows()) {
                if (r.method().equals(method) && reaches(dataset, r, ref)
                        && (best == null || r.metric("nfe") < best.metric("nfe"))) {
                    best = r;
                }
                if (r.method().equals(method) && r.steps() == naturalSteps.getOrDefault(method, -1)) {
                    natural = r;
                }
            }
            Map<String, Double> m = new LinkedHashMap<>();
            double teacherNfe = natural == null ? Double.NaN : teacherNfeToMatch(dataset, natural, frontier);
            MetricsTable.Row row;
            if (best == null) {
                m.put("nfe", Double.NaN);
                m.put(SPEEDUP_NFE, Double.NaN);
                m.put(SPEEDUP_SECONDS, Double.NaN);
                putSaving(m, natural, teacherNfe);
                row = new MetricsTable.Row(method, 0, m, Double.NaN, Double.NaN).withLabel(REACHES, "none");
            } else {
                double nfe = best.metric("nfe");
                m.put("nfe", nfe);
                m.put(SPEEDUP_NFE, ref.metric("nfe") / nfe);
                m.put(SPEEDUP_SECONDS, ref.sampleSeconds() / best.sampleSeconds());
                putSaving(m, natural, teacherNfe);
                row = new MetricsTable.Row(method, best.steps(), m, Double.NaN, best.sampleSeconds())
                        .withLabel(REACHES, "at " + best.steps() + " steps");
            }
            t.add(row);
        }
        return t;
    }

    private static void putSaving(Map<String, Double> m, MetricsTable.Row natural, double teacherNfe) {
        m.put(TEACHER_NFE, teacherNfe);
        m.put(NFE_SAVING, natural == null ? Double.NaN : teacherNfe / natural.metric("nfe"));
    }

    /** The fewest NFE of a teacher frontier point that {@link #reaches} {@code student}; NaN when none does. */
    static double teacherNfeToMatch(Dataset dataset, MetricsTable.Row student, List<Point> frontier) {
        double fewest = Double.NaN;
        for (Point p : frontier) {
            MetricsTable.Row asRow = new MetricsTable.Row(rowName(p.sampler()), p.nfe(), p.metrics(), Double.NaN, p.seconds());
            if (reaches(dataset, asRow, student) && !(p.nfe() >= fewest)) {
                fewest = p.nfe();
            }
        }
        return fewest;
    }

    /**
     * The figure: one panel per {@link Metrics#frontier()} metric, the teacher's samplers
     * and the students' rows of {@code students} (one curve per method over its step counts)
     * against NFE ({@code bySeconds} false) or sampling seconds, with the real-data floor line.
     */
    static BufferedImage figure(Dataset dataset, List<Point> points, MetricsTable students, List<String> methods,
                                MetricsTable.Row floor, boolean bySeconds) {
        List<FrontierPlot.Panel> panels = new ArrayList<>();
        for (String metric : Metrics.of(dataset).frontier()) {
            List<FrontierPlot.Curve> curves = new ArrayList<>();
            for (Sampler s : Sampler.values()) {
                List<Point> ps = points.stream().filter(p -> p.sampler() == s).toList();
                double[] x = new double[ps.size()];
                double[] y = new double[ps.size()];
                for (int i = 0; i < ps.size(); i++) {
                    x[i] = bySeconds ? ps.get(i).seconds() : ps.get(i).nfe();
                    y[i] = ps.get(i).metrics().getOrDefault(metric, Double.NaN);
                }
                curves.add(new FrontierPlot.Curve("teacher " + s.key, x, y, true));
            }
            for (String method : methods) {
                List<MetricsTable.Row> rs = students.rows().stream().filter(r -> r.method().equals(method)).toList();
                double[] x = new double[rs.size()];
                double[] y = new double[rs.size()];
                for (int i = 0; i < rs.size(); i++) {
                    x[i] = bySeconds ? rs.get(i).sampleSeconds() : rs.get(i).metric("nfe");
                    y[i] = rs.get(i).metric(metric);
                }
                curves.add(new FrontierPlot.Curve(method, x, y, false));
            }
            boolean logY = metric.equals("sliced_w2") || metric.equals("fd") || metric.equals("mmd");
            panels.add(new FrontierPlot.Panel(metric, curves, floor == null ? Double.NaN : floor.metric(metric), logY));
        }
        String x = bySeconds ? "sampling seconds (" + (points.isEmpty() ? "" : points.get(0).samples().length + " samples") + ", log)"
                : "network evaluations per sample (NFE, log)";
        return FrontierPlot.render("Quality against " + (bySeconds ? "sampling wall-clock" : "NFE")
                + ": teacher samplers (solid) and students (dashed); dotted: real data", x, panels, 400, 330);
    }
}
