package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.ConvGeometry;

/**
 * Where each entry of one input plane's kw column-shifted padded copies comes from (the gather
 * source of the convolution forward, {@code SimdConvF64.shiftImages}): for (kx, yp, ox), in that
 * order, {@code source} is the offset {@code y W + x} in the input plane of
 * {@code xpad[yp, ox stride + kx]} and {@code padding} whether that is padding (its source is
 * then 0, a valid offset, so that a whole vector is one gather and a blend). Built once per call,
 * so that the copy is one flat loop per kx (with a copy per row, the calls on rows of 4 or 8
 * elements cost more than the copying). {@link #SLACK} padding entries follow the last, so that
 * a vector starting at any entry stays inside the table.
 *
 * @param source  offset in the input plane of each entry (0 for padding)
 * @param padding whether the entry is zero padding
 */
record ShiftTable(int[] source, boolean[] padding) {
    /** Entries after the last: the lanes of the widest vector of floats the Vector API allows (2048 bits). */
    static final int SLACK = 64;

    static ShiftTable of(ConvGeometry g) {
        int hp = g.height() + 2 * g.padH();
        int ow = g.outWidth();
        int[] source = new int[g.kw() * hp * ow + SLACK];
        boolean[] padding = new boolean[source.length];
        java.util.Arrays.fill(padding, padding.length - SLACK, padding.length, true);
        int j = 0;
        for (int kx = 0; kx < g.kw(); kx++) {
            for (int yp = 0; yp < hp; yp++) {
                for (int ox = 0; ox < ow; ox++) {
                    int y = yp - g.padH();
                    int x = ox * g.stride() + kx - g.padW();
                    padding[j] = y < 0 || y >= g.height() || x < 0 || x >= g.width();
                    source[j] = padding[j] ? 0 : y * g.width() + x;
                    j++;
                }
            }
        }
        return new ShiftTable(source, padding);
    }
}
