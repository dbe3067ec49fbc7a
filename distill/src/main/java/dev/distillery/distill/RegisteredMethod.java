package dev.distillery.distill;

import dev.distillery.nn.models.Conditioning;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A registry entry: a method's name, description, recipe budget and factory.
 *
 * @param recommendedSteps             see {@link DistillMethod#recommendedSteps()}
 * @param naturalSteps                 see {@link DistillMethod#naturalSteps()}
 * @param factory                      {@code (setup, trainingSteps) -> distiller} with the recipe's config
 * @param conditioning                 the student's conditionings for a teacher of k classes
 * @param needsClassConditionalTeacher see {@link DistillMethod#needsClassConditionalTeacher()}
 */
record RegisteredMethod(String name, String description, int recommendedSteps, int naturalSteps,
                        BiFunction<DistillSetup, Integer, Distiller> factory, IntFunction<Conditioning> conditioning,
                        boolean needsClassConditionalTeacher) implements DistillMethod {

    RegisteredMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(conditioning, "conditioning");
        if (recommendedSteps < 1 || naturalSteps < 1) {
            throw new IllegalArgumentException(name + ": recommendedSteps and naturalSteps must be positive");
        }
    }

    /** An unconditional method sampled at {@code naturalSteps}. */
    static RegisteredMethod of(String name, String description, int recommendedSteps, int naturalSteps,
                               BiFunction<DistillSetup, Integer, Distiller> factory) {
        return new RegisteredMethod(name, description, recommendedSteps, naturalSteps, factory, k -> Conditioning.none(),
                false);
    }

    @Override
    public Distiller create(DistillSetup setup, int trainingSteps) {
        return factory.apply(setup, trainingSteps);
    }

    @Override
    public Conditioning studentConditioning(int teacherClasses) {
        return conditioning.apply(teacherClasses);
    }
}
