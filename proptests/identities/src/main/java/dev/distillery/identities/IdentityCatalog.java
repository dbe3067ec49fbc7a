package dev.distillery.identities;

import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.identities.DistillIdentities;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole identity catalogue of MATH.md, I1 to I19 in order, as one list: the diffusion
 * identities I1-I13 ({@link Identities#all()}) followed by the distillation identities I14-I19
 * ({@link DistillIdentities#all()}), all of them {@link Identity identities over an input type}. The
 * property suites of this module and {@code distillery audit} both run this list.
 */
public final class IdentityCatalog {
    private IdentityCatalog() {
    }

    /** I1..I19, in MATH.md order. */
    public static List<Identity<?>> all() {
        List<Identity<?>> all = new ArrayList<>(Identities.all());
        all.addAll(DistillIdentities.all());
        return List.copyOf(all);
    }

    /** The identity with this id ("I7", any case), if the catalogue has it. */
    public static Optional<Identity<?>> byId(String id) {
        return all().stream().filter(i -> i.id().equalsIgnoreCase(id)).findFirst();
    }
}
