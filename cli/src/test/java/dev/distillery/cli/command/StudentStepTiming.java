package dev.distillery.cli.command;


import dev.distillery.autograd.Backends;
import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.run.Budget;
import dev.distillery.cli.teacher.AnalyticTeacher;
import dev.distillery.cli.teacher.Architectures;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.nn.models.Conditioning;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How long one student step costs, the unit the demo's budget is counted in: one eps-MSE Adam
 * step of the demo's student ({@link FakeMethods#DENOISE}), full and quick sizes. Run with
 * {@code -Ddistillery.timing=true}; it prints milliseconds per step.
 */
class StudentStepTiming {

    @Test
    void millisecondsPerStudentStep() {
        Assumptions.assumeTrue(Boolean.getBoolean("distillery.timing"), "timing runs only with -Ddistillery.timing=true");
        System.out.println("backend " + Backends.current().name() + " (" + Backends.current().threads() + " threads)");
        for (boolean quick : new boolean[] {false, true}) {
            Dataset data = Dataset.GAUSSIANS25;
            Budget b = quick ? Budget.QUICK : Budget.FULL;
            DistillSetup setup = new DistillSetup(AnalyticTeacher.of(data).denoiser(), null,
                    Architectures.student(data, quick, 0, Conditioning.none()), data.data(), data.sampleShape(), Dataset.DTYPE,
                    b.batchSize(), 0);
            Distiller d = FakeMethods.DENOISE.create(setup, 100);
            Rng rng = new Rng(1);
            for (int i = 0; i < 20; i++) {
                d.step(rng);
            }
            int n = 100;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                d.step(rng);
            }
            System.out.printf("%s student, batch %d: %.2f ms per step%n", quick ? "quick" : "full", b.batchSize(),
                    (System.nanoTime() - t0) / 1e6 / n);
        }
    }
}
