package dev.distillery.bench.workloads;

import java.util.List;
import java.util.stream.Collectors;

/** The JSON documents the workload mains print as their last stdout line. */
final class Json {
    private Json() {
    }

    static String doc(String bench, List<Measure.Cell> cells) {
        return "{\"bench\":\"" + bench + "\",\"info\":{\"java\":\"" + System.getProperty("java.version")
                + "\",\"nproc\":" + Runtime.getRuntime().availableProcessors() + ",\"backend\":\"simd\"},\"rows\":["
                + cells.stream().map(Measure.Cell::json).collect(Collectors.joining(",")) + "]}";
    }
}
