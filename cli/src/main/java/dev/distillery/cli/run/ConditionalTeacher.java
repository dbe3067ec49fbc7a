package dev.distillery.cli.run;

import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.cli.teacher.TeacherSource;

/**
 * The class-conditional teacher for the methods that need one, obtained once (with the base
 * seed) on first use and shared by every seed; a failure to obtain it is remembered and
 * rethrown for each such method.
 */
final class ConditionalTeacher {
    private final TeacherSource teachers;
    private final Dataset data;
    private final long seed;
    private final Progress progress;
    private Teacher teacher;
    private CliException failure;

    ConditionalTeacher(TeacherSource teachers, Dataset data, long seed, Progress progress) {
        this.teachers = teachers;
        this.data = data;
        this.seed = seed;
        this.progress = progress;
    }

    Teacher get() {
        if (failure != null) {
            throw failure;
        }
        if (teacher == null) {
            try {
                teacher = teachers.obtainClassConditional(data, seed, progress);
            } catch (CliException e) {
                failure = e;
                throw e;
            }
        }
        return teacher;
    }

    /** The teacher if one was obtained, else null (for the report). */
    Teacher obtained() {
        return teacher;
    }
}
