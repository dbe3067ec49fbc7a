package dev.distillery.nn.models;

/**
 * Which optional conditionings a model embeds (each added to its time embedding).
 *
 * @param secondTime   embed a second time s (CTM's {@code G(x_t, t, s)})
 * @param numClasses   number of classes for label conditioning, 0 for none; a null-class row is
 *                     always added for classifier-free guidance
 * @param guidanceScale embed the guidance scale w with random Fourier features (guided distillation)
 * @param fourierScale standard deviation of the Fourier projection of w (16 as score-SDE's choice)
 */
public record Conditioning(boolean secondTime, int numClasses, boolean guidanceScale, double fourierScale) {
    /** The label meaning "no class" in {@link ModelInput#labels()}. */
    public static final int NULL_LABEL = -1;

    public Conditioning {
        if (numClasses < 0) {
            throw new IllegalArgumentException("Conditioning: numClasses must be >= 0, got " + numClasses);
        }
    }

    /** Time only (the W2/W3 default). */
    public static Conditioning none() {
        return new Conditioning(false, 0, false, 16.0);
    }

    public boolean any() {
        return secondTime || numClasses > 0 || guidanceScale;
    }

    public Conditioning withSecondTime() {
        return new Conditioning(true, numClasses, guidanceScale, fourierScale);
    }

    public Conditioning withClasses(int n) {
        return new Conditioning(secondTime, n, guidanceScale, fourierScale);
    }

    public Conditioning withGuidanceScale() {
        return new Conditioning(secondTime, numClasses, true, fourierScale);
    }
}
