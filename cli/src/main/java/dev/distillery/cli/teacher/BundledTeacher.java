package dev.distillery.cli.teacher;

import dev.distillery.autograd.io.Json;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.nn.Module;
import dev.distillery.nn.checkpoint.Checkpoint;
import dev.distillery.nn.models.ConditionalModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The digits teacher bundled in the jar, so that {@code demo --dataset digits} distils a
 * trained U-Net without twenty minutes of training first. It is the evaluation (EMA) weights of
 * the checkpoint that {@value #COMMAND} writes, byte for byte: the same command on the SIMD
 * backend reproduces its {@value #WEIGHTS} with the SHA-256 {@link #WEIGHTS_SHA256} (training is
 * bit-identical for any thread count), and loading checks that hash, so a damaged or replaced
 * resource is refused instead of distilled.
 */
public final class BundledTeacher implements TeacherSource {
    /** The command that made the bundled weights (docs/RESULTS.md, "Digits U-Net teacher (bundled)"). */
    public static final String COMMAND = "distillery train --dataset digits --checkpoint DIR";
    /** The training steps of {@link #COMMAND}: the digits recipe's default. */
    public static final int STEPS = TeacherTraining.DIGITS_STEPS;
    /** The weights file of the checkpoint {@link #COMMAND} writes (its newest generation), bundled as is. */
    public static final String WEIGHTS = Checkpoint.EMA;
    /** SHA-256 of {@link #WEIGHTS}. */
    public static final String WEIGHTS_SHA256 = "235f38229e1198aac0570cfcbf6c15774e0028c2972b867431fcf6b53cdc64f9";

    static final String FOLDER = "/dev/distillery/cli/teacher/digits-unet/";
    private static final long MAX_BYTES = 64L << 20;

    /** The source {@code --teacher bundled} names. */
    public static final BundledTeacher INSTANCE = new BundledTeacher();

    private BundledTeacher() {
    }

    @Override
    public Teacher obtain(Dataset dataset, long seed, Progress progress) {
        if (dataset != Dataset.DIGITS) {
            throw new CliException("no teacher ships for --dataset " + dataset.key() + " (only digits has one); use "
                    + "--teacher trained (about a minute on 25gaussians) or analytic");
        }
        return load();
    }

    /** The bundled digits teacher, its hash checked. */
    public static Teacher load() {
        byte[] weights = resource(WEIGHTS);
        String sha = sha256(weights);
        if (!sha.equals(WEIGHTS_SHA256)) {
            throw new CliException("the bundled digits teacher " + FOLDER + WEIGHTS + " has SHA-256 " + sha + ", not "
                    + WEIGHTS_SHA256 + ": the jar is damaged or was built from changed files; rebuild it from a clean "
                    + "clone, or pass --teacher-checkpoint of a folder written by '" + COMMAND + "'");
        }
        Module net;
        try {
            net = Checkpoint.loadModel(resource(Checkpoint.CONFIG), weights, "bundled digits teacher");
        } catch (IOException | RuntimeException e) {
            throw new CliException("the bundled digits teacher cannot be built: " + CliException.describe(e)
                    + "; rebuild the jar from a clean clone");
        }
        Prediction prediction = TeacherTraining.prediction(
                Json.parse(new String(resource(TeacherTraining.DESCRIPTION), StandardCharsets.UTF_8)),
                "bundled " + TeacherTraining.DESCRIPTION);
        if (prediction == null) {
            throw new CliException("the bundled digits teacher's " + TeacherTraining.DESCRIPTION + " does not record what "
                    + "its network predicts; rebuild the jar from a clean clone");
        }
        net.freeze();
        net.eval();
        ConditionalModel model = (ConditionalModel) net;
        return new Teacher(Checkpoints.denoiser(model, prediction), net, String.format(Locale.ROOT,
                "U-Net bundled with Distillery (%s, %,d parameters; '%s', %d steps; predicts %s)",
                model.config().kind(), net.parameterCount(), COMMAND, STEPS,
                prediction.name().toLowerCase(Locale.ROOT)), CheckpointTeacher.classes(model), Teacher.NETWORK_START_TIME);
    }

    /** Hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK provides SHA-256", e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = BundledTeacher.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new CliException("the bundled digits teacher lacks " + FOLDER + name + " on the class path; "
                        + "rebuild the jar from a clean clone, or pass --teacher-checkpoint");
            }
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new CliException("the bundled digits teacher's " + name + " is over " + MAX_BYTES
                        + " bytes: not the file Distillery ships; rebuild the jar from a clean clone");
            }
            return bytes;
        } catch (IOException e) {
            throw new CliException("cannot read the bundled digits teacher's " + name + ": " + CliException.describe(e));
        }
    }
}
