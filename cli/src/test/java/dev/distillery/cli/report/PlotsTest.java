package dev.distillery.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class PlotsTest {

    /** Decodes PNG bytes, failing if they are not a PNG. */
    static BufferedImage readPng(byte[] png) throws IOException {
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(img != null, "ImageIO reads it back");
        return img;
    }

    static int colours(BufferedImage img) {
        Set<Integer> set = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                set.add(img.getRGB(x, y));
            }
        }
        return set.size();
    }

    /** Samples like a few-step student's: the 25 modes, blurred, a few strays outside the frame. */
    static double[][] blurredSamples(int n, double blur, long seed) {
        Random rng = new Random(seed);
        double[][] x = Toy2d.gaussians25(n, rng);
        for (double[] p : x) {
            p[0] += blur * rng.nextGaussian();
            p[1] += blur * rng.nextGaussian();
        }
        x[0][0] = 40;
        return x;
    }

    @Test
    void scatterPanelIsAValidPngWithDotsOverTheDensity() throws IOException {
        MixtureSpec spec = Toy2d.gaussians25Spec();
        ScatterPlot.Frame frame = ScatterPlot.frameFor(spec);
        assertEquals(new ScatterPlot.Frame(-6, 6), frame);
        BufferedImage panel = ScatterPlot.render(ScatterPlot.title("ddim", 4), blurredSamples(2000, 0.1, 1), spec, frame, 360);
        BufferedImage back = readPng(Png.encode(panel));
        assertEquals(360, back.getWidth());
        assertTrue(back.getHeight() >= 360 && back.getHeight() < 400, "a little higher, for a square plot: " + back.getHeight());
        assertTrue(colours(back) > 50, "dots, bands, text: many colours, got " + colours(back));
        int reddish = 0;
        for (int y = 0; y < back.getHeight(); y++) {
            for (int x = 0; x < back.getWidth(); x++) {
                int rgb = back.getRGB(x, y);
                int r = rgb >> 16 & 255;
                int b = rgb & 255;
                reddish += r > b + 40 ? 1 : 0;
            }
        }
        assertTrue(reddish > 500, "the samples are drawn: " + reddish + " red pixels");
        assertEquals("consistency, 1 step", ScatterPlot.title("consistency", 1));
        assertEquals(new ScatterPlot.Frame(-4, 4), ScatterPlot.frameFor(Toy2d.gaussians8Spec()));
    }

    @Test
    void densityIsShadedAtTheModesAndWhiteBetweenThem() {
        BufferedImage d = ScatterPlot.density(Toy2d.gaussians25Spec(), new ScatterPlot.Frame(-6, 6), 120);
        // pixel (col, row) has centre x = -6 + (col + 0.5) * 0.1, y = 6 - (row + 0.5) * 0.1
        int atMode = d.getRGB(60, 59);     // (0.05, 0.05): on the mode at the origin
        int between = d.getRGB(70, 49);    // (1.05, 1.05): ~400 nats below the peak
        assertEquals(0xFFFFFFFF, between);
        assertNotEquals(0xFFFFFFFF, atMode);
        assertTrue((atMode & 255) > (atMode >> 16 & 255), "bluish at the mode");
        assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.density(MixtureSpec.equalWeights(new double[][] {{0, 0, 0}}, 1), new ScatterPlot.Frame(-1, 1), 10));
    }

    @Test
    void panelsComposeIntoOneGridWithBlankCells() throws IOException {
        MixtureSpec spec = Toy2d.gaussians25Spec();
        ScatterPlot.Frame frame = ScatterPlot.frameFor(spec);
        BufferedImage density = ScatterPlot.density(spec, frame, 200);
        BufferedImage[][] panels = new BufferedImage[2][3];
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2 + r; c++) {
                panels[r][c] = ScatterPlot.render(ScatterPlot.title("m" + r, 1 << c), blurredSamples(500, 0.3 * c, r), density, frame, 240);
            }
        }
        BufferedImage grid = readPng(Png.encode(ImageGrid.compose(panels, 8)));
        assertEquals(3 * 240 + 4 * 8, grid.getWidth());
        int h = panels[0][0].getHeight();
        assertEquals(2 * h + 3 * 8, grid.getHeight());
        assertEquals(0xFFFFFFFF, grid.getRGB(8 + 2 * 248 + 120, 8 + h / 2), "missing panel stays blank");
        assertTrue(colours(grid) > 50);
    }

    @Test
    void lossCurvesDrawOnLogAndLinearScalesWithSmoothing() throws IOException {
        Random rng = new Random(3);
        LossHistory h = new LossHistory();
        for (int step = 0; step < 600; step++) {
            h.record(step, java.util.Map.of("loss", Math.exp(-step / 150.0) * (1 + 0.3 * rng.nextGaussian() * rng.nextGaussian()),
                    "gan", -0.5 + 0.1 * rng.nextGaussian()));
        }
        List<LossPlot.Series> series = h.series();
        assertEquals(2, series.size());
        assertEquals(600, series.get(0).values().length);
        for (LossPlot.Options o : new LossPlot.Options[] {
                LossPlot.Options.DEFAULT, LossPlot.Options.DEFAULT.withLogY(false), LossPlot.Options.DEFAULT.withSmoothing(1)}) {
            BufferedImage img = readPng(Png.encode(LossPlot.render("losses", series, o)));
            assertEquals(o.width(), img.getWidth());
            assertEquals(o.height(), img.getHeight());
            assertTrue(colours(img) > 20, "curves and text drawn");
        }
        // all values negative on a log scale: falls back to linear instead of failing
        BufferedImage neg = LossPlot.render("negative", List.of(LossPlot.Series.of("gan", new double[] {-1, -2, -3})), LossPlot.Options.DEFAULT);
        assertEquals(400, neg.getHeight());
    }

    @Test
    void movingAverageIsCentredAndSkipsNonFiniteValues() {
        double[] avg = LossPlot.movingAverage(new double[] {1, 2, 3, Double.NaN, 5}, 3);
        assertArrayEquals(new double[] {1.5, 2, 2.5, 4, 5}, avg, 0.0);
        assertArrayEquals(new double[] {1, 2, 3}, LossPlot.movingAverage(new double[] {1, 2, 3}, 1), 0.0);
        assertTrue(Double.isNaN(LossPlot.movingAverage(new double[] {Double.NaN}, 3)[0]));
    }

    @Test
    void digitGridUpscalesEachPixelWithBordersBetweenTiles() throws IOException {
        float[][] images = java.util.Arrays.copyOf(Digits.load().images(), 16);
        images[15] = images[15].clone();
        images[15][0] = Float.NaN;
        BufferedImage grid = readPng(Png.encode(ImageGrid.digits(images)));
        // 4 x 4 tiles of 8 * 4 = 32 pixels, 1-pixel borders around and between
        assertEquals(4 * 32 + 5, grid.getWidth());
        assertEquals(4 * 32 + 5, grid.getHeight());
        assertEquals(ImageGrid.BORDER.getRGB(), grid.getRGB(0, 0));
        assertEquals(ImageGrid.BORDER.getRGB(), grid.getRGB(33, 10), "border between the first two tiles");
        // image 1 (second tile), pixel (row 3, col 5) covers a 4x4 block
        float v = images[1][3 * 8 + 5];
        int level = (int) Math.round((1.0 - v) * 127.5);
        int expected = 0xFF000000 | level << 16 | level << 8 | level;
        int x0 = 1 + 33 + 5 * 4;
        int y0 = 1 + 3 * 4;
        for (int dy = 0; dy < 4; dy++) {
            for (int dx = 0; dx < 4; dx++) {
                assertEquals(expected, grid.getRGB(x0 + dx, y0 + dy));
            }
        }
        assertEquals(ImageGrid.NAN.getRGB(), grid.getRGB(1 + 3 * 33, 1 + 3 * 33), "NaN pixel shows red");
        assertTrue(colours(grid) > 10, "many grey levels");
    }
}
