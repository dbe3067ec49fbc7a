// GENERATED from SimdConvF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import static dev.distillery.autograd.simd.SimdKernelsF32.KC;
import static dev.distillery.autograd.simd.SimdKernelsF32.L;
import static dev.distillery.autograd.simd.SimdKernelsF32.MC;
import static dev.distillery.autograd.simd.SimdKernelsF32.MR;
import static dev.distillery.autograd.simd.SimdKernelsF32.NC;
import static dev.distillery.autograd.simd.SimdKernelsF32.NR;
import static dev.distillery.autograd.simd.SimdKernelsF32.S;
import static dev.distillery.autograd.simd.SimdKernelsF32.ceilDiv;

import dev.distillery.autograd.backend.ConvGeometry;
import dev.distillery.autograd.backend.MatmulPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Convolution without groups as an implicit GEMM on the micro-kernel of {@link SimdKernelsF32}:
 * the column matrix of im2col ({@code cols_b[k, l]}, k = (channel, ky, kx), l = output position)
 * is never stored. Its entries are gathered from a zero-padded copy of the input while a GEMM
 * block is packed, entry (k, q) at {@code offset(k) + origin(q)}, so each packed block is used
 * while it is in cache and nothing of size {@code K x B L} is allocated.
 * <ul>
 *   <li>forward: one product {@code out [O, B L] = W [O, K] cols [K, B L]}, the weight packed
 *       once, the B panels packed from kw column-shifted padded copies of each task's images (so that a
 *       row of a panel is consecutive at stride 1), the tile stored at {@code out[b, o, l]};</li>
 *   <li>weight gradient: one product {@code dW [O, K] = g [O, B L] cols^T [B L, K]}, its inner
 *       dimension running over every (image, position), so the sum over the batch is the
 *       product's own; computed with K in channels-last order from a channels-last copy of the
 *       input, so that a packed row reads consecutive channels, then reordered.</li>
 * </ul>
 * Every output element is computed by one task and sums its k-blocks, whose size depends only on
 * the shape, in increasing order, so results do not depend on the thread count.
 */
final class SimdConvF32 {
    private SimdConvF32() {
    }

    /**
     * Columns of dW a weight-gradient task gathers and multiplies at a time, within its share of
     * the panels ({@link #weightGradTask}); the left operand is packed once for all tasks, so
     * narrow blocks cost little.
     */
    static final int NC_WEIGHT = NC / 4;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[KC * NC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    /** A forward task's shifted copies of its images ({@link #shiftImages}), grown as needed. */
    private static final ThreadLocal<float[]> SHIFTED = ThreadLocal.withInitial(() -> new float[0]);
    /** A weight-gradient task's channels-last copy of one k-block's images ({@link #padsPerBlock}), grown as needed. */
    private static final ThreadLocal<float[]> PADDED_BLOCK = ThreadLocal.withInitial(() -> new float[0]);
    /** Gather tables of a block: window origins (per output position), kernel offsets (per column-matrix row). */
    private static final ThreadLocal<int[][]> INDEX = ThreadLocal.withInitial(() -> new int[2][Math.max(NC, KC)]);

    /** Rows of a packed left operand with m rows: m rounded up to whole MR panels. */
    static int paddedRows(int m) {
        return ceilDiv(m, MR) * MR;
    }

    /** Elements of one image's {@code kw} column-shifted padded copies, {@code [kw, C, H + 2 padH, outWidth]}. */
    private static int shiftedImage(ConvGeometry g) {
        return g.kw() * g.channels() * (g.height() + 2 * g.padH()) * g.outWidth();
    }

    /** Whether the input itself is the shifted layout: a 1x1 kernel at stride 1 without padding. */
    static boolean inputIsShifted(ConvGeometry g) {
        return g.kw() == 1 && g.stride() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /**
     * Whether the forward writes only the centre shifted copy and packs the other two kernel
     * columns from it, one lane to the left or right, zeroing the lanes whose neighbour lies in
     * another row of the map ({@link #packNeighbourColumns}): a 3-wide kernel at stride 1 with one
     * column of padding, rows that divide a vector ({@code L % W == 0}) and images of whole
     * vectors, so that every whole vector a forward task packs starts a row. The packed values are
     * the copies' own; a third of the copying.
     */
    static boolean oneShiftedCopy(ConvGeometry g) {
        return g.stride() == 1 && g.kw() == 3 && g.padW() == 1 && L % g.outWidth() == 0 && g.colCols() % L == 0;
    }

    /**
     * The forward's gather source for images {@code first .. first + images}: for each kernel
     * column kx, {@code xs[kx, b - first, c, yp, ox] = xpad[b, c, yp, ox stride + kx]}, xpad the
     * zero-padded input ({@code table} from {@link ShiftTable#of}), a vector at a time by a load (a
     * gather where the copy is not a shift of the input) and a blend of the zeros. Column-matrix
     * entry ((c, ky, kx), (b, oy, ox)) is then {@code xs[kx, b - first, c, oy stride + ky, ox]}, so
     * at stride 1 the entries of one column-matrix row over an image's output positions are
     * consecutive (oy OW + ox = the position), and a packed vector is one load instead of a
     * gather, whatever the map's width.
     * Each forward task copies only its own images, so the kw copies stay in L2 between being
     * written and being packed rather than going out to memory and back. With {@code centreOnly}
     * only copy {@code padW} is written (see {@link #oneShiftedCopy}).
     */
    static void shiftImages(float[] x, ConvGeometry g, ShiftTable table, int first, int images, float[] xs,
                            boolean centreOnly) {
        int n = (g.height() + 2 * g.padH()) * g.outWidth();
        int planes = images * g.channels();
        int copy = planes * n;
        int plane = g.height() * g.width();
        int base = first * g.channels() * plane;
        int[] source = table.source();
        boolean[] padding = table.padding();
        // at stride 1 with outWidth = W, entry (yp, ox) of copy kx is x[yp W + ox + kx - padW - padH W]
        // (or padding): one load at a fixed shift instead of a gather, whose lanes cost one cycle each
        boolean linear = g.stride() == 1 && g.outWidth() == g.width();
        int shift = -g.padW() - g.padH() * g.width();
        // Whole vectors only, each (kx, j) pass over every plane with one padding mask (its load
        // is the costly part of a vector). A plane's vector may run past its n entries (n = 24 on
        // a 4x4 map) into the next plane's first ones; planes ascend within a pass and passes
        // descend in j, so every such lane is written again later by its own plane, and the
        // last plane's run-over lands in the next copy (written later) or in the buffer's slack.
        int kxFrom = centreOnly ? g.padW() : 0;
        int kxTo = centreOnly ? g.padW() + 1 : g.kw();
        for (int kx = kxFrom; kx < kxTo; kx++) {
            int from = kx * n;
            for (int j = (n - 1) / L * L; j >= 0; j -= L) {
                VectorMask<Float> pad = VectorMask.fromArray(S, padding, from + j);
                int at = kx * copy + j;
                for (int t = 0; t < planes; t++) {
                    int src = base + t * plane;
                    int s0 = src + shift + kx + j;
                    // a load and a store in each branch: a vector that is a phi of two branches
                    // loses its exact class in C2 and is boxed (this copy ran several times slower)
                    if (linear && s0 >= 0 && s0 + L <= x.length) {
                        FloatVector.fromArray(S, x, s0).blend(0.0f, pad).intoArray(xs, at + t * n);
                    } else {
                        // not a shift of the input (stride 2): element by element, a lane-wise gather
                        // measured slower here (the padding lanes' source is 0, so the zeros are explicit)
                        int dst = at + t * n;
                        for (int q = 0; q < L; q++) {
                            xs[dst + q] = padding[from + j + q] ? 0.0f : x[src + source[from + j + q]];
                        }
                    }
                }
            }
        }
    }

    /** Elements of the zero-padded input, {@code [batch, C, H + 2 padH, W + 2 padW]} (channels-last for the weight gradient). */
    static long paddedSize(ConvGeometry g) {
        return (long) g.batch() * g.channels() * (g.height() + 2 * g.padH()) * (g.width() + 2 * g.padW());
    }

    /**
     * Image {@code b} of the zero-padded input in channels-last order,
     * {@code xpl[((b Hp + y) Wp + x) C + c]}: the layout of the weight gradient, whose packed rows
     * then read a vector of consecutive channels at one kernel tap; written as image {@code slot}
     * of xpl (b itself for the whole batch's copy). Each pixel's channels are gathered a vector at
     * a time ({@code lanes} from {@link #channelLanes}) and stored as one run: a third less time
     * than element-wise stores C apart, on a 32-channel 8x8 map.
     */
    static void padImageChannelsLast(float[] x, ConvGeometry g, int[] lanes, float[] xpl, int b, int slot) {
        int c = g.channels(), h = g.height(), w = g.width();
        int hp = h + 2 * g.padH(), wp = w + 2 * g.padW();
        int row = wp * c;
        int at = slot * hp * row;
        java.util.Arrays.fill(xpl, at, at + g.padH() * row, 0.0f);                        // top rows
        for (int y = g.padH(); y < g.padH() + h; y++) {
            int start = at + y * row;
            java.util.Arrays.fill(xpl, start, start + g.padW() * c, 0.0f);                  // left edge
            java.util.Arrays.fill(xpl, start + (g.padW() + w) * c, start + row, 0.0f);      // right edge
        }
        java.util.Arrays.fill(xpl, at + (g.padH() + h) * row, at + hp * row, 0.0f);        // bottom rows
        int plane = h * w;
        int whole = c / L * L;
        int src = b * c * plane;
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int dst = at + ((y + g.padH()) * wp + g.padW() + xx) * c;
                int pixel = src + y * w + xx;
                for (int ch = 0; ch < whole; ch += L) {
                    FloatVector.fromArray(S, x, pixel + ch * plane, lanes, 0).intoArray(xpl, dst + ch);
                }
                for (int ch = whole; ch < c; ch++) {
                    xpl[dst + ch] = x[pixel + ch * plane];
                }
            }
        }
    }

    /** Gather offsets of one vector of channels at a pixel, {@code i H W} for lane i (built once per call). */
    static int[] channelLanes(ConvGeometry g) {
        int[] lanes = new int[L];
        for (int i = 0; i < L; i++) {
            lanes[i] = i * g.height() * g.width();
        }
        return lanes;
    }

    // ---------------------------------------------------------------------------------------
    // forward

    /** Forward tasks: blocks of NC output columns (image, position). */
    static int forwardTasks(ConvGeometry g) {
        return ceilDiv(g.batch() * g.colCols(), NC);
    }

    /**
     * Depth of the forward's k-blocks: K split into equal blocks of at most KC (288 = 2 x 144, not
     * 256 + 32, whose short block would pay the tile store for little arithmetic).
     */
    static int depthBlock(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /**
     * Packs the weight {@code [O, K]} for every forward task: k-blocks of {@link #depthBlock} at
     * {@code pc Mp}, MR-row panels within.
     */
    static void packWeight(float[] w, int outChannels, int k, float[] wp) {
        int kb = depthBlock(k);
        int mp = paddedRows(outChannels);
        for (int pc = 0; pc < k; pc += kb) {
            SimdKernelsF32.packA(w, 0, k, false, 0, outChannels, pc, Math.min(kb, k - pc), wp, pc * mp);
        }
    }

    /**
     * Output columns {@code [task NC, task NC + NC)} of every output channel. Column-matrix entry
     * (k, q) is {@code xs[shiftedOffset(k) + shiftedOrigin(q)]} in the task's shifted copies of
     * its images ({@link #shiftImages}; the input itself when {@code table} is null, the layout of
     * a 1x1 kernel at stride 1 without padding); each output starts at its channel's bias (none
     * when {@code bias} is null).
     */
    static void forwardTask(float[] x, ShiftTable table, float[] wp, float[] bias, float[] out, ConvGeometry g,
                            int outChannels, int task) {
        int l = g.colCols();
        int k = g.colRows();
        int j0 = task * NC;
        int nc = Math.min(NC, g.batch() * l - j0);
        int mp = paddedRows(outChannels);
        float[] xs = x;
        int first = 0;
        int images = g.batch();
        boolean centreOnly = table != null && oneShiftedCopy(g);
        if (table != null) {
            first = j0 / l;
            images = (j0 + nc - 1) / l - first + 1;
            xs = grown(SHIFTED, Math.addExact(Math.multiplyExact(images, shiftedImage(g)), ShiftTable.SLACK));
            shiftImages(x, g, table, first, images, xs, centreOnly);
        }
        float[] bp = PANEL.get();
        float[] tile = TILE.get();
        int[][] index = INDEX.get();
        shiftedOrigins(g, j0 - first * l, nc, index[0]);
        int kb = depthBlock(k);
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            shiftedOffsets(g, images, pc, kc, index[1], centreOnly);
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                // one panel at a time, used by every row panel while it is in L1 (the whole block
                // was packed first, written out to L2 and read back)
                if (centreOnly) {
                    packNeighbourColumns(xs, index[1], index[0], jr, pc, kc, nr, g.outWidth(), bp);
                } else {
                    packGather(xs, index[1], index[0], jr, kc, nr, bp);
                }
                for (int ir = 0; ir < outChannels; ir += MR) {
                    int mr = Math.min(MR, outChannels - ir);
                    SimdKernelsF32.kernel(kc, wp, pc * mp + ir * kc, bp, 0, tile);
                    if (pc == 0 && bias != null) {
                        addBias(tile, bias, ir, mr);
                    }
                    storeOutput(tile, out, outChannels, l, ir, mr, j0 + jr, nr, pc > 0);
                }
            }
        }
    }

    /** This thread's buffer {@code local}, grown to at least {@code n} elements. */
    private static float[] grown(ThreadLocal<float[]> local, int n) {
        float[] b = local.get();
        if (b.length < n) {
            b = new float[n];
            local.set(b);
        }
        return b;
    }

    /**
     * For output positions q = q0 + j (j < n): the offset of the window's top-left pixel in the
     * channels-last padded input, whose pixels are C elements apart.
     */
    private static void windowOrigins(ConvGeometry g, int q0, int n, int[] origin) {
        int l = g.colCols();
        int ow = g.outWidth();
        int c = g.channels();
        int wp = g.width() + 2 * g.padW();
        int image = c * (g.height() + 2 * g.padH()) * wp;
        for (int j = 0; j < n; j++) {
            int q = q0 + j;
            int b = q / l;
            int pos = q - b * l;
            int oy = pos / ow;
            origin[j] = b * image + (oy * wp + pos - oy * ow) * g.stride() * c;
        }
    }

    /** For output positions q = q0 + j (j < n), q = (b, oy, ox): the offset of {@code xs[0, b, 0, oy stride, ox]}. */
    private static void shiftedOrigins(ConvGeometry g, int q0, int n, int[] origin) {
        int l = g.colCols();
        int ow = g.outWidth();
        int image = g.channels() * (g.height() + 2 * g.padH()) * ow;
        for (int j = 0; j < n; j++) {
            int q = q0 + j;
            int b = q / l;
            int pos = q - b * l;
            int oy = pos / ow;
            origin[j] = b * image + pos + oy * (g.stride() - 1) * ow;
        }
    }

    /**
     * For column-matrix rows k = k0 + r (r < n), k = (channel, ky, kx): the offset of
     * {@code xs[kx, 0, channel, ky, 0]} in shifted copies of {@code images} images, or with
     * {@code centreOnly} of its neighbour {@code xs[padW, 0, channel, ky, kx - padW]} in the centre copy.
     */
    private static void shiftedOffsets(ConvGeometry g, int images, int k0, int n, int[] offset, boolean centreOnly) {
        int kk = g.kh() * g.kw();
        int ow = g.outWidth();
        int plane = (g.height() + 2 * g.padH()) * ow;
        int copy = images * g.channels() * plane;
        for (int r = 0; r < n; r++) {
            int k = k0 + r;
            int ch = k / kk;
            int ky = (k - ch * kk) / g.kw();
            int kx = k - ch * kk - ky * g.kw();
            offset[r] = centreOnly
                    ? g.padW() * copy + ch * plane + ky * ow + kx - g.padW()
                    : kx * copy + ch * plane + ky * ow;
        }
    }

    /**
     * For channels-last columns k' = k0 + r (r < n), k' = (ky, kx, channel): the offset within a
     * window of the channels-last padded input.
     */
    private static void kernelOffsetsChannelsLast(ConvGeometry g, int k0, int n, int[] offset) {
        int c = g.channels();
        int wp = g.width() + 2 * g.padW();
        for (int r = 0; r < n; r++) {
            int k = k0 + r;
            int tap = k / c;
            int ky = tap / g.kw();
            offset[r] = ((ky * wp + tap - ky * g.kw()) * c) + k - tap * c;
        }
    }

    /** How a vector's worth of gather indices can be loaded. */
    private static final int CONSECUTIVE = 0;
    private static final int TWO_RUNS = 1;
    private static final int SCATTERED = 2;
    /** The upper half of a vector's lanes. */
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(S, ((1L << L) - 1) & -(1L << (L / 2)));

    /**
     * Packs the kc x nc block {@code B[r, j] = xp[rowBase[r] + colIndex[c0 + j]]} into NR-wide panels,
     * {@code bp[jr kc + r NR + j]}, zero beyond the last column. A vector's worth of columns whose
     * indices are consecutive (a stretch of one output row at stride 1) is one load; two
     * consecutive half-vector runs (two rows of a 4-wide map) are two loads and a blend; other
     * vectors are gathered.
     */
    private static void packGather(float[] xp, int[] rowBase, int[] colIndex, int c0, int kc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int at = jr * kc;
            int col = c0 + jr;
            if (nr == NR) {
                int kind0 = pattern(colIndex, col);
                int kind1 = pattern(colIndex, col + L);
                for (int r = 0; r < kc; r++) {
                    int dst = at + r * NR;
                    load(xp, rowBase[r], colIndex, col, kind0).intoArray(bp, dst);
                    load(xp, rowBase[r], colIndex, col + L, kind1).intoArray(bp, dst + L);
                }
                continue;
            }
            for (int r = 0; r < kc; r++) {
                int dst = at + r * NR;
                for (int j = 0; j < nr; j++) {
                    bp[dst + j] = xp[rowBase[r] + colIndex[col + j]];
                }
                for (int j = nr; j < NR; j++) {
                    bp[dst + j] = 0.0f;
                }
            }
        }
    }

    /**
     * {@link #packGather} for {@link #oneShiftedCopy}: row r of the block starting at k0,
     * k = (channel, ky, kx), reads the centre copy at {@code rowBase[r] + colIndex[c0 + j]}, one
     * entry left of its own column for kx = 0 and one right for kx = 2, and the lanes whose
     * neighbour is in another row of the map (output column 0 on the left, {@code width - 1} on
     * the right) are zero, as they are in the copies of those columns. Whole vectors start a row,
     * so those lanes are the same in every vector: two masks, made once.
     */
    private static void packNeighbourColumns(float[] xs, int[] rowBase, int[] colIndex, int c0, int k0, int kc, int nc,
                                             int width, float[] bp) {
        VectorMask<Float> firstColumn = columnLanes(width, 0);
        VectorMask<Float> lastColumn = columnLanes(width, width - 1);
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int at = jr * kc;
            int col = c0 + jr;
            if (nr == NR) {
                int o0 = colIndex[col];
                int o1 = colIndex[col + L];
                for (int r = 0; r < kc; r++) {
                    int dst = at + r * NR;
                    int s0 = rowBase[r] + o0;
                    int s1 = rowBase[r] + o1;
                    int kx = (k0 + r) % 3;
                    // a load, a blend and a store in each branch: no vector is a phi (boxed by C2)
                    if (kx == 0) {
                        FloatVector.fromArray(S, xs, s0).blend(0.0f, firstColumn).intoArray(bp, dst);
                        FloatVector.fromArray(S, xs, s1).blend(0.0f, firstColumn).intoArray(bp, dst + L);
                    } else if (kx == 2) {
                        FloatVector.fromArray(S, xs, s0).blend(0.0f, lastColumn).intoArray(bp, dst);
                        FloatVector.fromArray(S, xs, s1).blend(0.0f, lastColumn).intoArray(bp, dst + L);
                    } else {
                        FloatVector.fromArray(S, xs, s0).intoArray(bp, dst);
                        FloatVector.fromArray(S, xs, s1).intoArray(bp, dst + L);
                    }
                }
                continue;
            }
            for (int r = 0; r < kc; r++) {
                int dst = at + r * NR;
                int kx = (k0 + r) % 3;
                for (int j = 0; j < nr; j++) {
                    int o = colIndex[col + j];
                    int ox = o % width;                       // a copy's image and rows are whole rows
                    boolean pad = kx == 0 && ox == 0 || kx == 2 && ox == width - 1;
                    bp[dst + j] = pad ? 0.0f : xs[rowBase[r] + o];
                }
                for (int j = nr; j < NR; j++) {
                    bp[dst + j] = 0.0f;
                }
            }
        }
    }

    /** The lanes i of a vector with {@code i % width == column}. */
    private static VectorMask<Float> columnLanes(int width, int column) {
        long bits = 0;
        for (int i = column; i < L; i += width) {
            bits |= 1L << i;
        }
        return VectorMask.fromLong(S, bits);
    }

    /** {@code xp[base + index[from + i]]} for the lanes i of one vector, loaded as {@code kind} allows. */
    private static FloatVector load(float[] xp, int base, int[] index, int from, int kind) {
        if (kind == CONSECUTIVE) {
            return FloatVector.fromArray(S, xp, base + index[from]);
        }
        if (kind == TWO_RUNS) {
            // both loads lie within [index[from], index[from + L - 1]]: the second run starts after the first ends
            FloatVector low = FloatVector.fromArray(S, xp, base + index[from]);
            FloatVector high = FloatVector.fromArray(S, xp, base + index[from + L / 2] - L / 2);
            return low.blend(high, UPPER_HALF);
        }
        return FloatVector.fromArray(S, xp, base, index, from);
    }

    /** Classifies {@code index[from .. from + L)}: one consecutive run, two consecutive half runs in order, or neither. */
    private static int pattern(int[] index, int from) {
        int half = L / 2;
        boolean low = true;
        boolean high = true;
        for (int i = 1; i < half; i++) {
            low &= index[from + i] == index[from] + i;
            high &= index[from + half + i] == index[from + half] + i;
        }
        if (low && high && index[from + half] == index[from] + half) {
            return CONSECUTIVE;
        }
        return low && high && index[from + half] >= index[from] + half ? TWO_RUNS : SCATTERED;
    }

    /** Adds {@code bias[ir + i]} to tile row i (i < mr): the first k-block's tile starts the sum at the bias. */
    private static void addBias(float[] tile, float[] bias, int ir, int mr) {
        for (int i = 0; i < mr; i++) {
            FloatVector b = FloatVector.broadcast(S, bias[ir + i]);
            b.add(FloatVector.fromArray(S, tile, i * NR)).intoArray(tile, i * NR);
            b.add(FloatVector.fromArray(S, tile, i * NR + L)).intoArray(tile, i * NR + L);
        }
    }

    /**
     * Stores tile rows ir.. of output columns q0.. at {@code out[b, o, l]}: the panel's columns
     * split into runs that lie in one image (a panel spans several images when l < NR, as for a
     * 4x4 map), each run a row segment of every output channel.
     */
    private static void storeOutput(float[] tile, float[] out, int outChannels, int l, int ir, int mr, int q0, int nr,
                                    boolean acc) {
        int b = q0 / l;
        int pos = q0 - b * l;
        if (nr == NR && pos + NR <= l) {
            SimdKernelsF32.storeFull(tile, out, (b * outChannels + ir) * l + pos, l, mr, acc);
            return;
        }
        for (int j = 0; j < nr; ) {
            int run = Math.min(nr - j, l - pos);
            SimdKernelsF32.storePartial(tile, j, out, (b * outChannels + ir) * l + pos, l, mr, run, acc);
            j += run;
            b++;
            pos = 0;
        }
    }

    // ---------------------------------------------------------------------------------------
    // weight gradient

    /**
     * Weight-gradient tasks: MC-row blocks of dW {@code [O, K]} times {@code groups} groups of its
     * NR-column panels (taken in NC_WEIGHT-column blocks). A task runs the k-blocks outermost and
     * every column block of its group inside, so each block of the packed output gradient is read once per task while in
     * cache (with a task per column block, every task read all of it from L3). Each dW element
     * still sums its k-blocks in increasing order, so the grouping (the backend picks it from its
     * thread count) does not change a bit.
     */
    static int weightGradTasks(ConvGeometry g, int outChannels, int groups) {
        return ceilDiv(outChannels, MC) * groups;
    }

    /** NR-column panels of dW: the most groups {@link #weightGradTasks} can use. */
    static int weightGradPanels(ConvGeometry g) {
        return ceilDiv(g.colRows(), NR);
    }

    /**
     * Packs k-block {@code block} of the output gradient, viewed as {@code [O, B L]} (row o, column
     * (image, position)), for every weight-gradient task: k-blocks of KC over B L, panels of MR
     * rows, as {@link SimdKernelsF32#packATask} lays out a matrix. Where a vector holds whole
     * packed rows (L a multiple of MR) it is one gather of {@code L / MR} consecutive positions of
     * one image, MR channels apart ({@code lanes} from {@link #outputGradLanes}): a third less time
     * than element by element.
     */
    static void packOutputGrad(float[] gy, int outChannels, ConvGeometry g, int[] lanes, float[] ap, int block) {
        int l = g.colCols();
        int inner = g.batch() * l;
        int mp = paddedRows(outChannels);
        int pc = block * KC;
        int kc = Math.min(KC, inner - pc);
        int per = L % MR == 0 ? L / MR : 0;               // positions a gathered vector holds
        for (int ir = 0; ir < mp; ir += MR) {
            int at = pc * mp + ir * kc;
            boolean whole = per > 0 && ir + MR <= outChannels;
            int r = 0;
            while (r < kc) {
                int q = pc + r;
                int b = q / l;
                int pos = q - b * l;
                int src = b * outChannels * l + pos;
                int dst = at + r * MR;
                if (whole && r + per <= kc && pos + per <= l) {
                    FloatVector.fromArray(S, gy, src + ir * l, lanes, 0).intoArray(ap, dst);
                    r += per;
                    continue;
                }
                for (int i = 0; i < MR; i++) {
                    int o = ir + i;
                    ap[dst + i] = o < outChannels ? gy[src + o * l] : 0.0f;
                }
                r++;
            }
        }
    }

    /** Gather offsets of {@link #packOutputGrad}'s vectors: lane t reads channel t % MR at position t / MR. */
    static int[] outputGradLanes(ConvGeometry g) {
        int[] lanes = new int[L];
        for (int t = 0; t < L; t++) {
            lanes[t] = t % MR * g.colCols() + t / MR;
        }
        return lanes;
    }

    /** Blocks of {@link #packOutputGrad}: one per KC positions of B L. */
    static int outputGradBlocks(ConvGeometry g) {
        return ceilDiv(g.batch() * g.colCols(), KC);
    }

    /**
     * Task {@code task} of {@code dW' [O, K']}, the weight gradient with columns in channels-last
     * order k' = (ky, kx, channel): rows of one MC block, the panels of one of {@code groups}
     * groups in blocks of NC_WEIGHT columns, all of B L, gathered from the channels-last padded
     * input {@code xpl}, or, when {@code xpl} is null, from a copy of each k-block's images made
     * just before it is used ({@link #padsPerBlock}).
     * {@link #unpermuteWeightGrad} puts the columns back in the weight's order.
     */
    static void weightGradTask(float[] x, float[] xpl, float[] ap, float[] dwl, ConvGeometry g, int outChannels,
                               int groups, int task) {
        int k = g.colRows();
        int tm = ceilDiv(outChannels, MC);
        int i0 = (task % tm) * MC;
        int mc = Math.min(MC, outChannels - i0);
        // the group's columns: an even share of the panels (9 panels on two threads: 4 and 5, where
        // whole NC_WEIGHT blocks gave 3 blocks and 2, so one thread waited a fifth of the time)
        int panels = weightGradPanels(g);
        int group = task / tm;
        int first = group * panels / groups * NR;
        int last = Math.min(k, (group + 1) * panels / groups * NR);
        int l = g.colCols();
        int inner = g.batch() * l;
        int mp = paddedRows(outChannels);
        float[] bp = PANEL.get();
        float[] tile = TILE.get();
        int[][] index = INDEX.get();
        int[] lanes = xpl == null ? channelLanes(g) : null;
        for (int pc = 0; pc < inner; pc += KC) {
            int kc = Math.min(KC, inner - pc);
            float[] src = xpl;
            int origin = pc;
            if (xpl == null) {
                // this block's images, in L2 from being written to being gathered
                int image = pc / l;
                int images = (pc + kc - 1) / l - image + 1;
                src = grown(PADDED_BLOCK, images * paddedImage(g));
                for (int i = 0; i < images; i++) {
                    padImageChannelsLast(x, g, lanes, src, image + i, i);
                }
                origin = pc - image * l;
            }
            windowOrigins(g, origin, kc, index[0]);
            for (int j0 = first; j0 < last; j0 += NC_WEIGHT) {
                int nc = Math.min(NC_WEIGHT, last - j0);
                kernelOffsetsChannelsLast(g, j0, nc, index[1]);
                packGather(src, index[0], index[1], 0, kc, nc, bp);
                SimdKernelsF32.blockProduct(kc, ap, pc * mp + i0 * kc, bp, 0, mc, nc, dwl, i0 * k + j0, k, pc > 0, tile);
            }
        }
    }

    /**
     * Whether the weight gradient's single task pads each k-block's images itself (xpl null in
     * {@link #weightGradTask}) instead of reading one padded copy of the whole batch: with one
     * task nothing is shared, and a block's few images stay in L2 between the copy and the
     * gathers, where the whole batch's copy (1.6 MB for 128 images of 32 channels at 8x8) went out
     * to L3 and came back. Several tasks read every block, so they share one copy.
     */
    static boolean padsPerBlock(ConvGeometry g, int outChannels, int groups) {
        return weightGradTasks(g, outChannels, groups) == 1;
    }

    /** Elements of one channels-last padded image, {@code C (H + 2 padH)(W + 2 padW)}. */
    private static int paddedImage(ConvGeometry g) {
        return g.channels() * (g.height() + 2 * g.padH()) * (g.width() + 2 * g.padW());
    }

    /** {@code dw[o, (c, ky, kx)] = dwl[o, (ky, kx, c)]}. */
    static void unpermuteWeightGrad(float[] dwl, float[] dw, ConvGeometry g, int outChannels) {
        int c = g.channels();
        int taps = g.kh() * g.kw();
        int k = c * taps;
        for (int o = 0; o < outChannels; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < taps; t++) {
                    dw[o * k + ch * taps + t] = dwl[o * k + t * c + ch];
                }
            }
        }
    }
}
