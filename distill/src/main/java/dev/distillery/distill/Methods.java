package dev.distillery.distill;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every distillation method, in the order reports list them. */
public final class Methods {
    private Methods() {
    }

    public static List<DistillMethod> all() {
        List<DistillMethod> all = new ArrayList<>(TrajectoryMethods.all());
        all.addAll(DistributionMethods.all());
        return all;
    }

    public static Optional<DistillMethod> byName(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The registered names, for error messages that list the choices. */
    public static List<String> names() {
        return all().stream().map(DistillMethod::name).toList();
    }
}
