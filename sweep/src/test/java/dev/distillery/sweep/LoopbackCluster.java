package dev.distillery.sweep;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and one worker, each its own JVM started
 * from the test classpath, as {@code start-master.sh} and {@code start-worker.sh} would start them.
 * The worker starts its executors as further JVMs; they get the test classpath through
 * {@link #driverConf()}. Everything binds to the loopback interface.
 */
final class LoopbackCluster implements AutoCloseable {
    private final Path home;
    private final int port;
    private final Process master;
    private final Process worker;

    private LoopbackCluster(Path home, int port, Process master, Process worker) {
        this.home = home;
        this.port = port;
        this.master = master;
        this.worker = worker;
    }

    /** Starts a master and a worker of {@code cores} cores and {@code memory} (e.g. "1g"), and waits for the master. */
    static LoopbackCluster start(Path dir, int cores, String memory) throws IOException, InterruptedException {
        // the worker builds executor command lines from SPARK_HOME/jars; an empty one is enough,
        // the classes come from spark.executor.extraClassPath
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        int port = freePort();
        String url = "spark://127.0.0.1:" + port;
        Process master = launch(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
        awaitPort(port, master, 60_000);
        Process worker = launch(home, dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory, "--webui-port", "0",
                "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), url);
        return new LoopbackCluster(home, port, master, worker);
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** What the driver needs to run here: executors on the test classpath, small, all on loopback. */
    static Map<String, String> driverConf() {
        return Map.of("spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.executor.memory", "512m",
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1");
    }

    /** The worker's running executor JVM, if any. */
    Optional<ProcessHandle> executor() {
        return worker.toHandle().children().filter(ProcessHandle::isAlive).findFirst();
    }

    private static Process launch(Path home, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(SparkGrid.executorJvmFlags().split(" ")));
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_CONF_DIR", home.toString() + File.separator + "conf");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process p, long millis) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the Spark master exited with " + p.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the Spark master did not open port " + port + " in " + millis + " ms");
    }

    @Override
    public void close() {
        for (Process p : List.of(worker, master)) {
            List<ProcessHandle> children = p.toHandle().descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
