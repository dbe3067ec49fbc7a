package dev.distillery.distill.identities;

import dev.distillery.diffusion.identities.Identity;

import java.util.List;

/** The catalog of the distillation identities, in MATH.md order. */
public final class DistillIdentities {
    private DistillIdentities() {
    }

    /** I14 to I19. */
    public static List<Identity<?>> all() {
        return List.of(new I14ProgressiveTargetInversion(), new I15ConsistencyBoundary(), new I16CtmBoundaries(),
                new I17StraightCouplingEuler(), new I18SurrogateGradient(), new I19SdsScore());
    }
}
