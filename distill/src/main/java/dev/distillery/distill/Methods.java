package dev.distillery.distill;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every distillation method, in the order reports list them: the one registry. Each entry's name
 * is the method class's {@code NAME} constant (what its {@code name()} returns), so a name is
 * spelled once.
 */
public final class Methods {
    private Methods() {
    }

    public static List<DistillMethod> all() {
        List<DistillMethod> all = new ArrayList<>(TrajectoryMethods.all());
        all.addAll(DistributionMethods.all());
        return all;
    }

    public static Optional<DistillMethod> byName(String name) {
        return byName(all(), name);
    }

    /** The method of {@code methods} called {@code name} (the one lookup rule, also for a registry a caller narrowed or replaced). */
    public static Optional<DistillMethod> byName(List<DistillMethod> methods, String name) {
        return methods.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The registered names, for error messages that list the choices. */
    public static List<String> names() {
        return names(all());
    }

    /** The names of {@code methods}, in order. */
    public static List<String> names(List<DistillMethod> methods) {
        return methods.stream().map(DistillMethod::name).toList();
    }
}
