package dev.distillery.cli.run;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.teacher.TeacherSource;
import dev.distillery.distill.DistillMethod;

import java.util.List;

/**
 * What one run of the pipeline ({@link DistillRun}) does, as the command's flags chose it.
 *
 * @param command       the run folder's command part ({@code demo}, {@code distill-<method>})
 * @param dataset       data, analytic teacher, student architecture and metrics
 * @param budget        training steps, batch and evaluation samples
 * @param methods       the methods, in the order their rows appear
 * @param teachers      where the teacher comes from
 * @param narrow        the narrow students of {@code --quick} (also titles the report "(quick)")
 * @param seed          the first seed (the teacher is obtained with it)
 * @param seeds         how many seeds the comparison repeats over ({@code seed, seed + 1, ...})
 * @param sampleSteps   the student step counts every method is sampled at
 * @param commandLine   the command line, for the report
 * @param studentFolder the run's subfolder that receives the (single) method's trained student of
 *                      the first seed, or null; such a run fails as a whole when its method fails
 */
public record RunConfig(String command, Dataset dataset, Budget budget, List<DistillMethod> methods, TeacherSource teachers,
                        boolean narrow, long seed, int seeds, int[] sampleSteps, String commandLine, String studentFolder) {

    /** The student step counts every method of {@code demo} is sampled at. */
    public static final int[] SAMPLE_STEPS = {1, 2, 4};

    public RunConfig {
        methods = List.copyOf(methods);
        sampleSteps = sampleSteps.clone();
    }
}
