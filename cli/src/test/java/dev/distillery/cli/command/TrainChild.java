package dev.distillery.cli.command;

import dev.distillery.cli.Main;
import dev.distillery.nn.checkpoint.GenerationFolder;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code distillery} process for the crash tests ({@code train} and {@code distill}):
 * {@code TrainChild STEP:N args...} runs the
 * command line {@code args} and dies, as under {@code kill -9} (no shutdown hooks, no cleanup),
 * the N-th time a checkpoint replacement reaches {@link GenerationFolder.Step} STEP;
 * {@code TrainChild none args...} runs it to the end.
 */
public final class TrainChild {
    private TrainChild() {
    }

    public static void main(String[] args) {
        if (!args[0].equals("none")) {
            String[] point = args[0].split(":");
            GenerationFolder.Step at = GenerationFolder.Step.valueOf(point[0]);
            int occurrence = Integer.parseInt(point[1]);
            int[] seen = {0};
            GenerationFolder.listen((step, folder) -> {
                if (step == at && ++seen[0] == occurrence) {
                    Runtime.getRuntime().halt(137);
                }
            });
        }
        String[] command = java.util.Arrays.copyOfRange(args, 1, args.length);
        System.exit(Main.run(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** A child JVM with this JVM's flags and class path (the same backend, hence the same arithmetic). */
    static Process start(String point, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainChild.class.getName(), point));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
    }
}
