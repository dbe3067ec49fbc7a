package dev.distillery.cli.report;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.backend.Backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run ran, for the report: timings mean little without it.
 *
 * @param cores processors available to the JVM
 * @param jvm JVM name, version and vendor
 * @param os operating system name, version and architecture
 * @param maxHeapMiB the JVM's maximum heap
 * @param backend compute backend and its thread count
 */
public record MachineInfo(int cores, String jvm, String os, long maxHeapMiB, String backend) {

    /**
     * This JVM, with the current thread's backend; a backend that fails to load is reported as
     * such rather than failing the report.
     */
    public static MachineInfo current() {
        String backend;
        try {
            Backend b = Backends.current();
            backend = b.name() + " (" + b.threads() + (b.threads() == 1 ? " thread)" : " threads)");
        } catch (RuntimeException | LinkageError e) {
            backend = "unknown (" + e.getMessage() + ")";
        }
        return current(backend);
    }

    /** This JVM, with the backend described by the caller. */
    public static MachineInfo current(String backend) {
        Runtime rt = Runtime.getRuntime();
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version")) + " (" + System.getProperty("java.vm.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new MachineInfo(rt.availableProcessors(), jvm, os, rt.maxMemory() / (1024 * 1024), backend);
    }

    /** Label-value pairs in display order. */
    public Map<String, String> entries() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(cores));
        m.put("JVM", jvm);
        m.put("OS", os);
        m.put("max heap", maxHeapMiB + " MiB");
        m.put("backend", backend);
        return m;
    }
}
