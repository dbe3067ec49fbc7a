package dev.distillery.cli.data;

import dev.distillery.cli.report.ImageGrid;
import dev.distillery.cli.report.ScatterPlot;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * One panel showing a set of samples: on 25-Gaussians a scatter plot over the true density, on
 * digits a grid of the first 64 images.
 */
public final class Pictures {
    /** The 25-Gaussians density behind every scatter plot, rendered once. */
    private static BufferedImage density;

    private Pictures() {
    }

    /** The panel of {@code samples} (rows) of {@code dataset}, titled {@code title}. */
    public static BufferedImage of(Dataset dataset, String title, double[][] samples) {
        return dataset == Dataset.DIGITS ? digits(samples)
                : ScatterPlot.render(title, samples, density(), ScatterPlot.frameFor(Dataset.MIXTURE), 260);
    }

    private static synchronized BufferedImage density() {
        if (density == null) {
            density = ScatterPlot.density(Dataset.MIXTURE, ScatterPlot.frameFor(Dataset.MIXTURE), 240);
        }
        return density;
    }

    private static BufferedImage digits(double[][] samples) {
        if (samples.length == 0) {
            BufferedImage blank = new BufferedImage(8 * 4 + 2, 8 * 4 + 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = blank.createGraphics();
            g.setColor(ImageGrid.NAN);
            g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
            g.dispose();
            return blank;
        }
        float[][] images = new float[Math.min(samples.length, 64)][];
        for (int i = 0; i < images.length; i++) {
            images[i] = new float[samples[i].length];
            for (int j = 0; j < samples[i].length; j++) {
                images[i][j] = (float) samples[i][j];
            }
        }
        return ImageGrid.greyscale(images, 8, 4, 1);
    }
}
