package dev.distillery.distill;

import dev.distillery.nn.models.Conditioning;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A registry entry: a method's name, description, recipe budget and recipe (its config, knobs and
 * distiller).
 *
 * @param recommendedSteps             see {@link DistillMethod#recommendedSteps()}
 * @param naturalSteps                 see {@link DistillMethod#naturalSteps()}
 * @param recipe                       the config for a run, the knobs over it, and the distiller it makes
 * @param conditioning                 the student's conditionings for a teacher of k classes
 * @param needsClassConditionalTeacher see {@link DistillMethod#needsClassConditionalTeacher()}
 */
record RegisteredMethod(String name, String description, int recommendedSteps, int naturalSteps, Recipe<?> recipe,
                        IntFunction<Conditioning> conditioning, boolean needsClassConditionalTeacher) implements DistillMethod {

    RegisteredMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(conditioning, "conditioning");
        if (recommendedSteps < 1 || naturalSteps < 1) {
            throw new IllegalArgumentException(name + ": recommendedSteps and naturalSteps must be positive");
        }
    }

    /** An unconditional method sampled at {@code naturalSteps}. */
    static RegisteredMethod of(String name, String description, int recommendedSteps, int naturalSteps, Recipe<?> recipe) {
        return new RegisteredMethod(name, description, recommendedSteps, naturalSteps, recipe, k -> Conditioning.none(), false);
    }

    @Override
    public Distiller create(DistillSetup setup, int trainingSteps) {
        return recipe.create(setup, trainingSteps, MethodSettings.NONE);
    }

    @Override
    public Distiller create(DistillSetup setup, int trainingSteps, MethodSettings settings) {
        return recipe.create(setup, trainingSteps, check(settings));
    }

    @Override
    public List<Knob> knobs() {
        return recipe.knobs(recommendedSteps);
    }

    @Override
    public Conditioning studentConditioning(int teacherClasses) {
        return conditioning.apply(teacherClasses);
    }
}
