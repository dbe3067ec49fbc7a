// Data movement: strided copy (optionally accumulating), gather/scatter along an axis, im2col and
// col2im. Every kernel that adds into memory is written as a GATHER: one thread owns one
// destination element and adds its sources in the oracle's order, rounding after each add exactly
// as the oracle's `d[i] = d[i] + s[j]` does. No atomics, so results are bit-identical run to run
// and equal to ScalarBackend's.
#include "common.cuh"

// One thread per parallel index; the serial dimensions (destination stride 0, i.e. several source
// elements landing on one destination) are walked in row-major order by that thread.
template <typename T>
__device__ void copy_impl(const T* src, T* dst, const CopyPlan& p, int accumulate) {
    GRID_STRIDE(i, p.parCount) {
        long long s0 = p.srcOffset + unravel(i, p.parRank, p.parDims, p.parSrc);
        long long d = p.dstOffset + unravel(i, p.parRank, p.parDims, p.parDst);
        T acc = accumulate ? dst[d] : T(0);
        for (int s = 0; s < p.serCount; s++) {
            T v = src[s0 + unravel(s, p.serRank, p.serDims, p.serSrc)];
            acc = accumulate ? acc + v : v;  // without accumulate the last write wins, as in the oracle
        }
        dst[d] = acc;
    }
}

// The fallback for destination views CopyLayout cannot prove injective: one thread walks the whole
// view in row-major order. Slow but exactly the oracle's semantics.
template <typename T>
__device__ void copy_seq_impl(const T* src, T* dst, const CopyPlan& p, int accumulate) {
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    for (long long i = 0; i < p.parCount; i++) {
        long long s = p.srcOffset + unravel(i, p.parRank, p.parDims, p.parSrc);
        long long d = p.dstOffset + unravel(i, p.parRank, p.parDims, p.parDst);
        dst[d] = accumulate ? dst[d] + src[s] : src[s];
    }
}

// out[o, j, i] = src[o, index[j], i]
template <typename T>
__device__ void index_select_impl(const T* src, int outer, int axisLen, int inner, const int* index,
                                  int m, T* out) {
    long long n = (long long) outer * m * inner;
    GRID_STRIDE(e, n) {
        long long i = e % inner;
        long long j = (e / inner) % m;
        long long o = e / ((long long) inner * m);
        out[e] = src[(o * axisLen + index[j]) * inner + i];
    }
}

// dst[o, row, i] += src[o, j, i] for every j with index[j] = row, in increasing j. The host passes
// the inverse index in CSR form: rows[rowStart[row] .. rowStart[row+1]) lists those j ascending.
template <typename T>
__device__ void index_add_impl(const T* src, int outer, int axisLen, int inner, const int* rowStart,
                               const int* rows, int m, T* dst) {
    long long n = (long long) outer * axisLen * inner;
    GRID_STRIDE(e, n) {
        long long i = e % inner;
        int row = (int) ((e / inner) % axisLen);
        long long o = e / ((long long) inner * axisLen);
        int begin = rowStart[row], end = rowStart[row + 1];
        if (begin == end) continue;
        T acc = dst[e];
        for (int q = begin; q < end; q++) {
            acc = acc + src[(o * m + rows[q]) * inner + i];
        }
        dst[e] = acc;
    }
}

struct Conv {
    int batch, channels, height, width, kh, kw, stride, padH, padW, outH, outW;
};

// cols[b, (c, ky, kx), (y, x)] = input[b, c, y*stride - padH + ky, x*stride - padW + kx] or 0
template <typename T>
__device__ void im2col_impl(const T* input, T* cols, const Conv& g) {
    int rows = g.channels * g.kh * g.kw;
    long long ncol = (long long) g.outH * g.outW;
    long long n = (long long) g.batch * rows * ncol;
    GRID_STRIDE(e, n) {
        int x = (int) (e % g.outW);
        int y = (int) ((e / g.outW) % g.outH);
        int r = (int) ((e / ncol) % rows);
        long long b = e / (ncol * rows);
        int ch = r / (g.kh * g.kw);
        int ky = (r / g.kw) % g.kh;
        int kx = r % g.kw;
        int iy = y * g.stride - g.padH + ky;
        int ix = x * g.stride - g.padW + kx;
        bool inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width;
        cols[e] = inside ? input[((b * g.channels + ch) * g.height + iy) * g.width + ix] : T(0);
    }
}

// One thread per input pixel sums the windows that cover it, in increasing (ky, kx): the order in
// which the oracle's loop over column rows reaches that pixel.
template <typename T>
__device__ void col2im_impl(const T* cols, T* output, const Conv& g) {
    int rows = g.channels * g.kh * g.kw;
    long long ncol = (long long) g.outH * g.outW;
    long long n = (long long) g.batch * g.channels * g.height * g.width;
    GRID_STRIDE(e, n) {
        int ix = (int) (e % g.width);
        int iy = (int) ((e / g.width) % g.height);
        int ch = (int) ((e / ((long long) g.width * g.height)) % g.channels);
        long long b = e / ((long long) g.width * g.height * g.channels);
        T acc = T(0);
        for (int ky = 0; ky < g.kh; ky++) {
            int ty = iy + g.padH - ky;
            if (ty < 0 || ty % g.stride != 0 || ty / g.stride >= g.outH) continue;
            int y = ty / g.stride;
            for (int kx = 0; kx < g.kw; kx++) {
                int tx = ix + g.padW - kx;
                if (tx < 0 || tx % g.stride != 0 || tx / g.stride >= g.outW) continue;
                int x = tx / g.stride;
                int r = (ch * g.kh + ky) * g.kw + kx;
                acc = acc + cols[(b * rows + r) * ncol + (long long) y * g.outW + x];
            }
        }
        output[e] = acc;
    }
}

extern "C" {

__global__ void copy_f32(const float* src, float* dst, CopyPlan p, int accumulate) { copy_impl(src, dst, p, accumulate); }
__global__ void copy_f64(const double* src, double* dst, CopyPlan p, int accumulate) { copy_impl(src, dst, p, accumulate); }
__global__ void copy_seq_f32(const float* src, float* dst, CopyPlan p, int accumulate) { copy_seq_impl(src, dst, p, accumulate); }
__global__ void copy_seq_f64(const double* src, double* dst, CopyPlan p, int accumulate) { copy_seq_impl(src, dst, p, accumulate); }

__global__ void index_select_f32(const float* src, int outer, int axisLen, int inner, const int* index, int m, float* out) {
    index_select_impl(src, outer, axisLen, inner, index, m, out);
}
__global__ void index_select_f64(const double* src, int outer, int axisLen, int inner, const int* index, int m, double* out) {
    index_select_impl(src, outer, axisLen, inner, index, m, out);
}
__global__ void index_add_f32(const float* src, int outer, int axisLen, int inner, const int* rowStart, const int* rows,
                              int m, float* dst) {
    index_add_impl(src, outer, axisLen, inner, rowStart, rows, m, dst);
}
__global__ void index_add_f64(const double* src, int outer, int axisLen, int inner, const int* rowStart, const int* rows,
                              int m, double* dst) {
    index_add_impl(src, outer, axisLen, inner, rowStart, rows, m, dst);
}

__global__ void im2col_f32(const float* input, float* cols, Conv g) { im2col_impl(input, cols, g); }
__global__ void im2col_f64(const double* input, double* cols, Conv g) { im2col_impl(input, cols, g); }
__global__ void col2im_f32(const float* cols, float* output, Conv g) { col2im_impl(cols, output, g); }
__global__ void col2im_f64(const double* cols, double* output, Conv g) { col2im_impl(cols, output, g); }

}  // extern "C"
