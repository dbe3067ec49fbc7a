package dev.distillery.cli.run;

import dev.distillery.cli.data.Dataset;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.MethodSettings;
import dev.distillery.distill.adversarial.AdversarialDiffusionDistillation;
import dev.distillery.distill.matching.DistributionMatchingDistillation;
import dev.distillery.distill.trajectory.ConsistencyDistillation;
import dev.distillery.distill.trajectory.ProgressiveDistillation;

import java.util.List;
import java.util.Map;

/**
 * What a dataset changes in the methods' recipes. The registry's recipes are measured on
 * 25-Gaussians with MLP students; on the digits every student is the teacher's U-Net started from
 * its weights for 300 steps (Budget.DIGITS_FULL), and the settings below are the ones measured there
 * (docs/RESULTS.md, "Digits: students of the bundled teacher"): a gentler learning rate for a
 * fine-tuned U-Net, progressive rounds from 8 steps rather than 64, and DMD and ADD trained for the
 * four steps they are sampled at. ADD's discriminator on images is heads over the teacher's encoder,
 * which reads noisy inputs ({@code dmax=0.5}, R1 1e-5 as ADD's), and its distillation term is
 * lighter than on 25-Gaussians (lambda 0.2: at 0.5 the FD at 4 steps was 1.5x larger, at 0.1 the
 * same within the seed spread). A user's {@code --set} goes on top of them.
 */
public final class DatasetRecipes {
    /** The methods {@code demo --dataset digits} runs without {@code --methods}: the image-scale four. */
    public static final List<String> DIGITS_METHODS = List.of(ConsistencyDistillation.NAME, ProgressiveDistillation.NAME,
            DistributionMatchingDistillation.DMD, AdversarialDiffusionDistillation.NAME);

    private static final Map<String, String> DIGITS = Map.of(
            ConsistencyDistillation.NAME, "lr=2e-4",
            ProgressiveDistillation.NAME, "n0=8,lr=2e-4",
            DistributionMatchingDistillation.DMD, "student-steps=4,fake-updates=1",
            AdversarialDiffusionDistillation.NAME, "student-steps=4,lr=1e-4,dlr=1e-4,dmax=0.5,r1=1e-5,distill-weight=0.2");

    private DatasetRecipes() {
    }

    /** The settings {@code data} gives the method called {@code name} (none on 25-Gaussians, the recipes' own data). */
    public static MethodSettings settings(Dataset data, String name) {
        return data == Dataset.DIGITS ? MethodSettings.parse(DIGITS.get(name)) : MethodSettings.NONE;
    }

    /** {@code registered} with {@code data}'s settings; the user's go on top with {@link DistillMethod#withSettings}. */
    public static DistillMethod of(Dataset data, DistillMethod registered) {
        MethodSettings s = settings(data, registered.name());
        return s.isEmpty() ? registered : registered.withSettings(s);
    }

    /** The methods a run on {@code data} trains when none are named. */
    public static List<String> defaultMethods(Dataset data) {
        return data == Dataset.DIGITS ? DIGITS_METHODS : List.of();
    }
}
