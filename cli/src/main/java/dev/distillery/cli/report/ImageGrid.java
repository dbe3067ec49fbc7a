package dev.distillery.cli.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Pictures laid out in a grid: square grey-level images (8x8 digits: {@code float[n][64]} in
 * [-1, 1]) drawn pixel by pixel, and finished panels (charts) composed into one image. This is
 * image data, not a chart, so it is drawn into a {@link BufferedImage} directly.
 */
public final class ImageGrid {
    /** Colour of the lines between tiles. */
    public static final Color BORDER = new Color(150, 150, 150);
    /** Colour of a NaN pixel, so a diverged sample is visible as such. */
    public static final Color NAN = new Color(220, 30, 30);

    private ImageGrid() {
    }

    /**
     * Grey-level images in a grid of {@code columns} columns, each pixel a {@code scale x scale}
     * block (nearest neighbour), tiles separated and surrounded by {@code border} pixels of
     * {@link #BORDER}. Values are clamped to [-1, 1] and drawn dark-on-light as the digits are
     * written: -1 (paper) white, +1 (ink) black; NaN is {@link #NAN}.
     *
     * @param images n images of side*side values each, row-major
     */
    public static BufferedImage greyscale(float[][] images, int columns, int scale, int border) {
        if (images.length == 0) {
            throw new IllegalArgumentException("no images to draw");
        }
        int side = (int) Math.round(Math.sqrt(images[0].length));
        if (side * side != images[0].length) {
            throw new IllegalArgumentException("images must be square, got " + images[0].length + " values per image");
        }
        if (columns < 1 || scale < 1 || border < 0) {
            throw new IllegalArgumentException("columns = " + columns + ", scale = " + scale + ", border = " + border
                    + " must be at least 1, 1 and 0");
        }
        int cols = Math.min(columns, images.length);
        int rows = (images.length + cols - 1) / cols;
        int tile = side * scale;
        BufferedImage img = new BufferedImage(cols * (tile + border) + border, rows * (tile + border) + border,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BORDER);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        for (int i = 0; i < images.length; i++) {
            float[] im = images[i];
            if (im.length != side * side) {
                throw new IllegalArgumentException("image " + i + " has " + im.length + " values, expected " + side * side);
            }
            int x0 = border + (i % cols) * (tile + border);
            int y0 = border + (i / cols) * (tile + border);
            for (int p = 0; p < im.length; p++) {
                int rgb = grey(im[p]);
                int px = x0 + (p % side) * scale;
                int py = y0 + (p / side) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(px + dx, py + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** 8x8 digits, 4x upscaled, 1-pixel borders, in a near-square grid of at most 16 columns. */
    public static BufferedImage digits(float[][] images) {
        int columns = Math.min(16, (int) Math.ceil(Math.sqrt(images.length)));
        return greyscale(images, Math.max(1, columns), 4, 1);
    }

    /**
     * Panels (such as scatter plots, rows = methods, columns = step counts) composed on white with
     * {@code gap} pixels between them; null entries stay blank. Each cell is as large as the
     * largest panel.
     */
    public static BufferedImage compose(BufferedImage[][] panels, int gap) {
        int rows = panels.length;
        int cols = 0;
        int w = 1;
        int h = 1;
        for (BufferedImage[] row : panels) {
            cols = Math.max(cols, row.length);
            for (BufferedImage p : row) {
                if (p != null) {
                    w = Math.max(w, p.getWidth());
                    h = Math.max(h, p.getHeight());
                }
            }
        }
        if (rows == 0 || cols == 0) {
            throw new IllegalArgumentException("no panels to compose");
        }
        BufferedImage out = new BufferedImage(cols * w + (cols + 1) * gap, rows * h + (rows + 1) * gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < panels[r].length; c++) {
                if (panels[r][c] != null) {
                    g.drawImage(panels[r][c], gap + c * (w + gap), gap + r * (h + gap), null);
                }
            }
        }
        g.dispose();
        return out;
    }

    private static int grey(float v) {
        if (Float.isNaN(v)) {
            return NAN.getRGB();
        }
        double c = Math.max(-1.0, Math.min(1.0, v));
        int level = (int) Math.round((1.0 - c) * 127.5);
        return 0xFF000000 | level << 16 | level << 8 | level;
    }
}
