package dev.distillery.cli.report;

import java.nio.file.Path;

/**
 * A process that opens a run, writes a file, says "ready" and waits to be interrupted; the
 * interruption test sends it SIGTERM, as Ctrl-C would send SIGINT.
 */
public final class RunDirectoryChild {
    public static void main(String[] args) throws InterruptedException {
        RunDirectory run = RunDirectory.create(Path.of(args[0]), args[1], false);
        run.writeString("metrics.json", "[]\n");
        run.writeString("plots/half-written.txt", "x");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
