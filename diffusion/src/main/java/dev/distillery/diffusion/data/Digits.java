package dev.distillery.diffusion.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The 8x8 handwritten digits (the UCI "optdigits" test set as shipped by scikit-learn,
 * {@code load_digits}: 1797 images, 17 grey levels 0..16, labels 0..9), bundled as the resource
 * {@value #RESOURCE}: gzip'd CSV without header, one image per line, 64 pixels in row-major order
 * followed by the label.
 *
 * <p>Pixels are scaled to [-1, 1] by {@code x / 8 - 1} (exact in float: 0 maps to -1, 16 to 1).
 *
 * <p><b>Split.</b> A fixed train/test split: a Fisher-Yates shuffle of the indices 0..1796 with
 * {@code java.util.Random(SPLIT_SEED)} (whose algorithm the JDK specifies, so the split is the same
 * on every JVM); the first {@value #TRAIN_SIZE} shuffled indices are the training set, the other
 * 360 the test set; each set is kept in ascending file order.
 */
public final class Digits {
    /** Classpath location of the bundled data. */
    public static final String RESOURCE = "/dev/distillery/diffusion/data/digits8x8.csv.gz";
    /** Number of images in the bundled file. */
    public static final int SIZE = 1797;
    /** Pixels per image (8 x 8). */
    public static final int PIXELS = 64;
    /** Size of the training split; the test split has SIZE - TRAIN_SIZE = 360 images. */
    public static final int TRAIN_SIZE = 1437;
    /** Seed of the split's shuffle. */
    public static final long SPLIT_SEED = 1797L;

    private final float[][] images;
    private final int[] labels;

    private Digits(float[][] images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    /** Loads all 1797 images from the bundled resource. */
    public static Digits load() {
        InputStream raw = Digits.class.getResourceAsStream(RESOURCE);
        if (raw == null) {
            throw new IllegalStateException("resource " + RESOURCE + " not found on the classpath; it ships inside "
                    + "the distillery-diffusion jar (diffusion/src/main/resources), so check that jar is complete");
        }
        try (InputStream in = new GZIPInputStream(raw)) {
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses uncompressed CSV lines of 64 integers 0..16 and a label 0..9. Blank lines are skipped.
     *
     * @param source a name for error messages
     * @throws IllegalStateException naming the line number and what was expected, for a malformed row
     */
    static Digits parse(InputStream in, String source) throws IOException {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split(",", -1);
            if (fields.length != PIXELS + 1) {
                throw malformed(source, lineNumber, "found " + fields.length + " fields");
            }
            float[] image = new float[PIXELS];
            for (int p = 0; p < PIXELS; p++) {
                int v = parseInt(fields[p], 0, 16, source, lineNumber, "pixel " + p);
                image[p] = v / 8.0f - 1.0f;
            }
            labels.add(parseInt(fields[PIXELS], 0, 9, source, lineNumber, "the label (field 65)"));
            images.add(image);
        }
        return new Digits(images.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int parseInt(String field, int min, int max, String source, int line, String what) {
        int v;
        try {
            v = Integer.parseInt(field.trim());
        } catch (NumberFormatException e) {
            throw malformed(source, line, what + " is '" + field + "', not an integer");
        }
        if (v < min || v > max) {
            throw malformed(source, line, what + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    private static IllegalStateException malformed(String source, int line, String problem) {
        return new IllegalStateException(source + " line " + line + ": expected 65 comma-separated integers "
                + "(64 pixels in 0..16, then a label in 0..9); " + problem);
    }

    /** Number of images. */
    public int size() {
        return images.length;
    }

    /** The images, {@code [n][64]}, row-major 8x8, values in [-1, 1] (a deep copy). */
    public float[][] images() {
        float[][] copy = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            copy[i] = images[i].clone();
        }
        return copy;
    }

    /** The labels 0..9 (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** The training split (1437 images) of the full data set; see the class notes. */
    public Digits train() {
        return subset(splitIndices(true));
    }

    /** The test split (360 images) of the full data set; see the class notes. */
    public Digits test() {
        return subset(splitIndices(false));
    }

    /**
     * Indices into the full data set of the training ({@code train = true}) or test split, ascending.
     * Requires the full data set ({@link #load()}).
     */
    public int[] splitIndices(boolean train) {
        if (images.length != SIZE) {
            throw new IllegalStateException("the fixed split is defined on the full data set of " + SIZE
                    + " images, this one has " + images.length);
        }
        int[] perm = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            perm[i] = i;
        }
        Random random = new Random(SPLIT_SEED);
        for (int i = SIZE - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[] chosen = train ? Arrays.copyOfRange(perm, 0, TRAIN_SIZE) : Arrays.copyOfRange(perm, TRAIN_SIZE, SIZE);
        Arrays.sort(chosen);
        return chosen;
    }

    private Digits subset(int[] indices) {
        float[][] imgs = new float[indices.length][];
        int[] labs = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            imgs[i] = images[indices[i]];
            labs[i] = labels[indices[i]];
        }
        return new Digits(imgs, labs);
    }
}
