// Batched GEMM C_b = op(A_b) op(B_b), row-major, as MatmulPlan describes.
//
// Classic shared-memory tiling: a block of 256 threads computes a TILE_M x TILE_N tile of C; per
// step it stages a TILE_M x TILE_K slice of op(A) and a TILE_K x TILE_N slice of op(B) in shared
// memory (transposes are resolved while staging, so the inner loop is the same for all four
// cases), and each thread accumulates a 4 x 4 micro-tile in registers. Each C element is one
// dot product accumulated over k in increasing order in the storage precision, so results are
// deterministic and independent of the grid; out-of-range rows and columns of edge tiles are
// staged as zeros and never stored. Error bound per element: |C - C_exact| <= k u sum_l |a_il b_lj|.
#include "common.cuh"

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define GEMM_THREADS 256  // 16 x 16 threads, each a 4 x 4 micro-tile (rows ty + 16 i, cols tx + 16 j)

struct Gemm {
    int m, n, k;
    int transA, transB;
    int lda, ldb;
    int aStride, bStride;  // batch b starts at b * stride when the offset table is absent
    int batchBase;         // first batch of this launch (gridDim.z is limited to 65535)
};

template <typename T>
__device__ void gemm_impl(const T* a, const T* b, T* c, const int* aOffsets, const int* bOffsets, const Gemm& g) {
    // +1 column of padding: staging writes along the k axis would otherwise hit one bank
    __shared__ T As[TILE_K][TILE_M + 1];
    __shared__ T Bs[TILE_K][TILE_N + 1];
    int batch = g.batchBase + blockIdx.z;
    long long ao = aOffsets ? aOffsets[batch] : (long long) batch * g.aStride;
    long long bo = bOffsets ? bOffsets[batch] : (long long) batch * g.bStride;
    long long co = (long long) batch * g.m * g.n;
    int row0 = blockIdx.y * TILE_M;
    int col0 = blockIdx.x * TILE_N;
    int t = threadIdx.x;
    int tx = t % 16, ty = t / 16;

    T acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = T(0);

    for (int k0 = 0; k0 < g.k; k0 += TILE_K) {
        // stage op(A)[row0 .. +64, k0 .. +16]; consecutive threads read consecutive addresses
        for (int e = t; e < TILE_M * TILE_K; e += GEMM_THREADS) {
            int i, l;
            if (g.transA) { i = e % TILE_M; l = e / TILE_M; }  // A stored k x m: rows of i contiguous
            else { l = e % TILE_K; i = e / TILE_K; }           // A stored m x k: rows of l contiguous
            int gi = row0 + i, gl = k0 + l;
            T v = T(0);
            if (gi < g.m && gl < g.k) {
                v = a[ao + (g.transA ? (long long) gl * g.lda + gi : (long long) gi * g.lda + gl)];
            }
            As[l][i] = v;
        }
        // stage op(B)[k0 .. +16, col0 .. +64]
        for (int e = t; e < TILE_K * TILE_N; e += GEMM_THREADS) {
            int l, j;
            if (g.transB) { l = e % TILE_K; j = e / TILE_K; }  // B stored n x k
            else { j = e % TILE_N; l = e / TILE_N; }           // B stored k x n
            int gl = k0 + l, gj = col0 + j;
            T v = T(0);
            if (gl < g.k && gj < g.n) {
                v = b[bo + (g.transB ? (long long) gj * g.ldb + gl : (long long) gl * g.ldb + gj)];
            }
            Bs[l][j] = v;
        }
        __syncthreads();
#pragma unroll
        for (int l = 0; l < TILE_K; l++) {
            T av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; i++) av[i] = As[l][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) bv[j] = Bs[l][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] += av[i] * bv[j];
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++) {
        int gi = row0 + ty + 16 * i;
        if (gi >= g.m) continue;
        for (int j = 0; j < 4; j++) {
            int gj = col0 + tx + 16 * j;
            if (gj < g.n) c[co + (long long) gi * g.n + gj] = acc[i][j];
        }
    }
}

extern "C" {

__global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32(const float* a, const float* b, float* c, const int* aOffsets, const int* bOffsets, Gemm g) {
    gemm_impl(a, b, c, aOffsets, bOffsets, g);
}

__global__ void __launch_bounds__(GEMM_THREADS)
gemm_f64(const double* a, const double* b, double* c, const int* aOffsets, const int* bOffsets, Gemm g) {
    gemm_impl(a, b, c, aOffsets, bOffsets, g);
}

}  // extern "C"
