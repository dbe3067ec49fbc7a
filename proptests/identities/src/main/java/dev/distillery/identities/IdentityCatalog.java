package dev.distillery.identities;

import dev.distillery.diffusion.identities.Identities;
import dev.distillery.diffusion.identities.Identity;
import dev.distillery.distill.identities.DistillIdentities;
import dev.distillery.distill.identities.DistillIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole identity catalogue of MATH.md, I1 to I19 in order, as one interface: the diffusion
 * identities I1-I13 ({@link Identities#all()}) followed by the distillation identities I14-I19
 * ({@link DistillIdentities#all()}). The property suites of this module and {@code distillery audit}
 * both run this list.
 */
public final class IdentityCatalog {
    private IdentityCatalog() {
    }

    /** I1..I19, in MATH.md order. */
    public static List<Identity> all() {
        List<Identity> all = new ArrayList<>(Identities.all());
        for (DistillIdentity d : DistillIdentities.all()) {
            all.add(adapt(d));
        }
        return List.copyOf(all);
    }

    /** The identity with this id ("I7"), if the catalogue has it. */
    public static java.util.Optional<Identity> byId(String id) {
        return all().stream().filter(i -> i.id().equalsIgnoreCase(id)).findFirst();
    }

    /**
     * A distillation identity seen as a diffusion {@link Identity}: the two interfaces have the same
     * methods (distill's was written before diffusion's landed), so the adapter only forwards. Once
     * {@code DistillIdentity extends Identity}, the instance is returned as it is.
     */
    static Identity adapt(DistillIdentity d) {
        if (d instanceof Identity same) {
            return same;
        }
        return new Adapted(d);
    }

    private record Adapted(DistillIdentity d) implements Identity {
        @Override
        public String id() {
            return d.id();
        }

        @Override
        public String name() {
            return d.name();
        }

        @Override
        public String equation() {
            return d.equation();
        }

        @Override
        public double tolerance() {
            return d.tolerance();
        }

        @Override
        public double worstError(long seed) {
            return d.worstError(seed);
        }
    }
}
