package dev.distillery.cli.command;

import dev.distillery.cli.bench.Bench;
import dev.distillery.cli.error.CliException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the flags of a {@link Bench} run, the W1-W4 workloads on the SIMD backend beside
 * the repository's PyTorch programs of the same workloads, measured in the same invocation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the W1-W4 benchmarks, ours beside PyTorch's measured in the same run.")
final class BenchCommand implements Callable<Integer> {

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
        Bench bench = new Bench(quick, threads, workloads, torchScripts, python, noTorch, torchBlasEnv);
        String report = bench.run(json, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        return 0;
    }
}
