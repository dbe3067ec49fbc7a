package dev.distillery.distill;

import dev.distillery.nn.models.Conditioning;

import java.util.List;

/**
 * A method with settings over its recipe ({@link DistillMethod#withSettings}): everything is the
 * method's own except that it builds with the settings. Its settings are checked and canonical.
 */
final class ConfiguredMethod implements DistillMethod {
    private final DistillMethod method;
    private final MethodSettings settings;

    ConfiguredMethod(DistillMethod method, MethodSettings checked) {
        this.method = method;
        this.settings = checked;
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public String description() {
        return method.description();
    }

    @Override
    public Distiller create(DistillSetup setup, int trainingSteps) {
        return method.create(setup, trainingSteps, settings);
    }

    @Override
    public Distiller create(DistillSetup setup, int trainingSteps, MethodSettings more) {
        return method.create(setup, trainingSteps, settings.with(more));
    }

    @Override
    public List<Knob> knobs() {
        return method.knobs();
    }

    @Override
    public MethodSettings check(MethodSettings s) {
        return method.check(s);
    }

    @Override
    public MethodSettings settings() {
        return settings;
    }

    @Override
    public DistillMethod withSettings(MethodSettings more) {
        return method.withSettings(settings.with(more));
    }

    @Override
    public int recommendedSteps() {
        return method.recommendedSteps();
    }

    @Override
    public int naturalSteps() {
        return method.naturalSteps();
    }

    @Override
    public Conditioning studentConditioning(int teacherClasses) {
        return method.studentConditioning(teacherClasses);
    }

    @Override
    public boolean needsClassConditionalTeacher() {
        return method.needsClassConditionalTeacher();
    }

    @Override
    public String toString() {
        return name() + "[" + settings.label() + "]";
    }
}
