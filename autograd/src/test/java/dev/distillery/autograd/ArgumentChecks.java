package dev.distillery.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/** Tables of invalid calls, each one a named dynamic test that must throw {@link IllegalArgumentException}. */
public final class ArgumentChecks {
    private ArgumentChecks() {
    }

    /** One dynamic test per entry, in name order: the call must be rejected with an IllegalArgumentException. */
    public static Stream<DynamicTest> eachRejected(Map<String, Executable> calls) {
        return calls.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertThrows(IllegalArgumentException.class, e.getValue(), e.getKey())));
    }
}
