// Reductions (sum, max) over the axes a ReducePlan names. Two deterministic strategies, chosen on
// the host from the plan alone (LaunchConfig.reduceStrategy), so one plan always takes one path:
//  - reduce_block: one block of REDUCE_THREADS threads per output element; thread t accumulates
//    elements t, t + 256, ... in order, then a fixed shared-memory tree combines the 256 partials.
//  - reduce_thread: one thread per output element, accumulating in increasing r (the oracle's order),
//    for many small reductions where a block each would idle.
// Sums accumulate in double for both dtypes (memory bound, so the wider add costs nothing that
// matters) and round once, so an F32 sum is within an ulp of the oracle's.
#include "common.cuh"

#define REDUCE_THREADS 256

DEV double combine(int kind, double acc, double v) {
    return kind == R_SUM ? acc + v : java_max(acc, v);
}

DEV double identity(int kind) {
    return kind == R_SUM ? 0.0 : -INFINITY;
}

template <typename T>
__device__ void reduce_block_impl(int kind, const T* in, T* out, const RedPlan& p) {
    __shared__ double partial[REDUCE_THREADS];
    int t = threadIdx.x;
    for (int o = blockIdx.x; o < p.outer; o += gridDim.x) {
        long long base = unravel(o, p.keptRank, p.keptDims, p.keptStrides);
        double acc = identity(kind);
        for (int r = t; r < p.inner; r += REDUCE_THREADS) {
            acc = combine(kind, acc, (double) in[base + unravel(r, p.reducedRank, p.reducedDims, p.reducedStrides)]);
        }
        partial[t] = acc;
        __syncthreads();
        for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1) {
            if (t < s) partial[t] = combine(kind, partial[t], partial[t + s]);
            __syncthreads();
        }
        if (t == 0) out[o] = (T) partial[0];
        __syncthreads();  // partial[] is reused by this block's next output
    }
}

template <typename T>
__device__ void reduce_thread_impl(int kind, const T* in, T* out, const RedPlan& p) {
    GRID_STRIDE(o, p.outer) {
        long long base = unravel(o, p.keptRank, p.keptDims, p.keptStrides);
        double acc = identity(kind);
        for (int r = 0; r < p.inner; r++) {
            acc = combine(kind, acc, (double) in[base + unravel(r, p.reducedRank, p.reducedDims, p.reducedStrides)]);
        }
        out[o] = (T) acc;
    }
}

extern "C" {

__global__ void __launch_bounds__(REDUCE_THREADS) reduce_block_f32(int kind, const float* in, float* out, RedPlan p) {
    reduce_block_impl(kind, in, out, p);
}
__global__ void __launch_bounds__(REDUCE_THREADS) reduce_block_f64(int kind, const double* in, double* out, RedPlan p) {
    reduce_block_impl(kind, in, out, p);
}
__global__ void reduce_thread_f32(int kind, const float* in, float* out, RedPlan p) {
    reduce_thread_impl(kind, in, out, p);
}
__global__ void reduce_thread_f64(int kind, const double* in, double* out, RedPlan p) {
    reduce_thread_impl(kind, in, out, p);
}

}  // extern "C"
