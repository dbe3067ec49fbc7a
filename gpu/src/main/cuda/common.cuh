// Shared definitions of the Distillery CUDA kernels.
//
// Everything here is __host__ __device__ so the per-element logic can also be compiled for the
// host and checked against the Java oracle (ScalarBackend) without a GPU.
//
// The enums mirror Java enums by ORDINAL: the Java side passes kind.ordinal(). KernelEnumSyncTest
// parses the "enum ... { ... };" blocks below and fails when the order drifts.
#pragma once

#include <stdint.h>
#include <math.h>

#define DEV __host__ __device__ __forceinline__

// Largest rank a plan may have after collapsing contiguous dimensions (PlanPacking.MAX_RANK).
#define MAX_RANK 8

// dev.distillery.autograd.backend.UnaryKernel
enum UnaryOp { U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_ABS, U_SIN, U_COS, U_TANH, U_SIGMOID, U_RELU,
               U_LEAKY_RELU, U_SOFTPLUS, U_ERF, U_SIGN, U_STEP, U_POW_SCALAR, U_SCALE, U_SHIFT,
               U_SILU, U_SILU_GRAD };

// dev.distillery.autograd.backend.BinaryKernel
enum BinaryOp { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAX, B_MIN, B_GT, B_GE, B_EQ };

// dev.distillery.autograd.backend.ReduceKernel
enum ReduceOp { R_SUM, R_MAX };

// dev.distillery.autograd.backend.RandomKind
enum RandomOp { RND_UNIFORM, RND_NORMAL };

// ElementwisePlan packed by PlanPacking.elementwise: up to three inputs, output contiguous.
struct EwPlan {
    int rank;
    int numel;
    int dims[MAX_RANK];
    int strides[3][MAX_RANK];
};

// ReducePlan packed (and collapsed) by PlanPacking.reduce.
struct RedPlan {
    int keptRank;
    int reducedRank;
    int outer;
    int inner;
    int keptDims[MAX_RANK];
    int keptStrides[MAX_RANK];
    int reducedDims[MAX_RANK];
    int reducedStrides[MAX_RANK];
};

// A strided copy split by CopyLayout into parallel dimensions (one thread each, injective in the
// destination) and serial dimensions (destination stride 0, walked in row-major order by one thread).
struct CopyPlan {
    int parRank;
    int serRank;
    int parCount;
    int serCount;
    int srcOffset;
    int dstOffset;
    int parDims[MAX_RANK];
    int parSrc[MAX_RANK];
    int parDst[MAX_RANK];
    int serDims[MAX_RANK];
    int serSrc[MAX_RANK];
};

// Offset of row-major linear index `linear` over (dims, strides), innermost dimension last:
// exactly ElementwisePlan.offset / ReducePlan.unravel / StridedView.offsetOf.
DEV long long unravel(long long linear, int rank, const int* dims, const int* strides) {
    long long off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        long long q = linear / dims[d];
        off += (linear - q * dims[d]) * (long long) strides[d];
        linear = q;
    }
    return off;
}

// Math.max semantics: NaN if either is NaN, and +0 above -0.
template <typename T> DEV T java_max(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}

// Math.min semantics: NaN if either is NaN, and -0 below +0.
template <typename T> DEV T java_min(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}

// Math.pow semantics where they differ from C's pow: a NaN exponent gives NaN (C: pow(1, NaN) = 1),
// and |a| = 1 with an infinite exponent gives NaN (C: 1).
DEV double java_pow(double a, double b) {
    if (b == 0.0) return 1.0;
    if (b != b) return b;
    if (fabs(a) == 1.0 && isinf(b)) return b - b;  // NaN
    return pow(a, b);
}

// Grid-stride loop over [0, n): any grid size covers any n, so launch geometry never changes results.
#define GRID_STRIDE(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (long long) (n); \
         i += (long long) blockDim.x * gridDim.x)
