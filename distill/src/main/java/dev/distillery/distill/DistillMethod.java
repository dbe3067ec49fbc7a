package dev.distillery.distill;

import dev.distillery.nn.models.Conditioning;

import java.util.List;

/**
 * A registered method: its name, a one-line description, and a factory with the paper's defaults,
 * some of which ({@link #knobs()}) a run may override ({@link #create(DistillSetup, int, MethodSettings)},
 * {@link #withSettings}).
 */
public interface DistillMethod {

    String name();

    /** One line for `distillery distill --help` and reports, citing the paper. */
    String description();

    /** A fresh distiller; {@code trainingSteps} sizes its schedules (learning rate, curricula, rounds). */
    Distiller create(DistillSetup setup, int trainingSteps);

    /**
     * The settings a run may change from the recipe (guidance weight, EMA, discretisation, learning
     * rate...), each with its description and the recipe's value. Default: none.
     */
    default List<Knob> knobs() {
        return List.of();
    }

    /**
     * {@code settings} checked against {@link #knobs()}: an unknown key or a value outside its knob's
     * domain is an {@link IllegalArgumentException} that names this method, the key and the valid
     * keys. The result is canonical (knob order, canonical values), so equal settings have equal labels.
     */
    default MethodSettings check(MethodSettings settings) {
        return settings.checkedFor(name(), knobs());
    }

    /**
     * A fresh distiller as {@link #create(DistillSetup, int)}, its config built from the recipe with
     * {@code settings} on top; with no settings exactly {@code create(setup, trainingSteps)}.
     *
     * @throws IllegalArgumentException when {@link #check} refuses {@code settings}
     */
    default Distiller create(DistillSetup setup, int trainingSteps, MethodSettings settings) {
        if (!check(settings).isEmpty()) {
            throw new IllegalStateException(name() + " declares knobs but does not build with them; implement "
                    + "create(setup, trainingSteps, settings)");
        }
        return create(setup, trainingSteps);
    }

    /**
     * The settings this method applies over its recipe: none for a registry entry, those given to
     * {@link #withSettings} for the method it returned.
     */
    default MethodSettings settings() {
        return MethodSettings.NONE;
    }

    /**
     * This method with {@code settings} applied: the same name, description, budget and networks,
     * its {@link #create(DistillSetup, int)} building with them (this method itself when there are none).
     *
     * @throws IllegalArgumentException when {@link #check} refuses {@code settings}
     */
    default DistillMethod withSettings(MethodSettings settings) {
        MethodSettings checked = check(settings);
        return checked.isEmpty() ? this : new ConfiguredMethod(this, checked);
    }

    /**
     * The training steps (batch 128) of this method's recipe on the 2-D demo data: the budget at
     * which its student reproduces the teacher at {@link #naturalSteps()} (the measurements and the
     * budget sweeps are in {@code docs/RESULTS.md}). Commands use it unless the user gives a step
     * count.
     */
    int recommendedSteps();

    /**
     * The sampling step count the method is designed for and judged at: 1 for the one-step
     * generators, 4 for progressive and guided distillation (whose last rounds are the least
     * accurate, Salimans &amp; Ho 2022 Table 2), the four-step DDGAN and adversarial loss on every step.
     */
    default int naturalSteps() {
        return 1;
    }

    /**
     * The optional inputs this method's student (and auxiliary) networks read besides (x, t): a
     * second time s for CTM, class labels and the guidance scale w for guided distillation. The
     * commands switch on exactly these in {@link DistillSetup#studentConfig()}, since a network
     * configured with an input requires it on every call. Default: none.
     *
     * @param teacherClasses the number of classes the teacher is conditioned on (0: unconditional)
     */
    default Conditioning studentConditioning(int teacherClasses) {
        return Conditioning.none();
    }

    /**
     * Whether the method distils a class-conditional teacher under classifier-free guidance
     * (guided distillation): the commands then give it such a teacher. Default: false.
     */
    default boolean needsClassConditionalTeacher() {
        return false;
    }
}
