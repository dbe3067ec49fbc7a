package dev.distillery.distill;

/** A registered method: its name, a one-line description, and a factory with the paper's defaults. */
public interface DistillMethod {

    String name();

    /** One line for `distillery distill --help` and reports, citing the paper. */
    String description();

    /** A fresh distiller; {@code trainingSteps} sizes its schedules (learning rate, curricula, rounds). */
    Distiller create(DistillSetup setup, int trainingSteps);
}
