package dev.distillery.cli.run;

import dev.distillery.cli.error.CliException;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.Methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The distillation methods the commands and grid cells see: {@link Methods#all()} in production;
 * tests install a small registry of fake methods with {@link #override}, so that {@code demo} and
 * {@code distill} can be exercised end to end without the real (slow) methods.
 */
public final class MethodRegistry {
    private static volatile Supplier<List<DistillMethod>> source = Methods::all;

    private MethodRegistry() {
    }

    public static List<DistillMethod> all() {
        return List.copyOf(source.get());
    }

    public static List<String> names() {
        return Methods.names(all());
    }

    /** The method called {@code name}, or a one-line error that lists the valid names. */
    public static DistillMethod byName(String name, String flag) {
        return Methods.byName(all(), name).orElseThrow(() -> new CliException("unknown method '" + name + "' for " + flag + "; "
                        + choices()));
    }

    /** All methods when {@code names} is null, empty or "all", else those named, in the given order, once each. */
    public static List<DistillMethod> select(List<String> names, String flag) {
        if (names == null || names.isEmpty() || names.size() == 1 && names.get(0).trim().equals("all")) {
            return all();
        }
        List<DistillMethod> chosen = new ArrayList<>();
        for (String n : names) {
            DistillMethod m = byName(n.trim(), flag);
            if (!chosen.contains(m)) {
                chosen.add(m);
            }
        }
        return chosen;
    }

    private static String choices() {
        List<String> names = names();
        return names.isEmpty() ? "no distillation methods are registered in this build"
                : "valid names: " + String.join(", ", names);
    }

    /** Replaces the registry until the returned handle is closed (tests only). */
    static Restore override(List<DistillMethod> methods) {
        Objects.requireNonNull(methods, "methods");
        Supplier<List<DistillMethod>> previous = source;
        source = () -> methods;
        return () -> source = previous;
    }

    /** Puts the previous registry back. */
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
