// Elementwise kernels: fill, cast, unary, binary (broadcast by an ElementwisePlan), where.
// One thread per output element in a grid-stride loop; every element is independent, so results
// never depend on the launch geometry.
#include "ops.cuh"

template <typename T> __device__ void fill_impl(T* out, int n, double value) {
    T v = (T) value;
    GRID_STRIDE(i, n) { out[i] = v; }
}

template <typename S, typename D> __device__ void cast_impl(const S* in, D* out, int n) {
    GRID_STRIDE(i, n) { out[i] = (D) in[i]; }  // round to nearest, as Java's (float) cast
}

template <typename T> __device__ void unary_impl(int kind, double p, const T* in, T* out, int n) {
    GRID_STRIDE(i, n) { out[i] = unary_op<T>(kind, in[i], p); }
}

template <typename T>
__device__ void binary_impl(int kind, const T* a, const T* b, T* out, const EwPlan& plan) {
    GRID_STRIDE(j, plan.numel) {
        T x = a[unravel(j, plan.rank, plan.dims, plan.strides[0])];
        T y = b[unravel(j, plan.rank, plan.dims, plan.strides[1])];
        out[j] = binary_op<T>(kind, x, y);
    }
}

template <typename T, typename C>
__device__ void where_impl(const C* cond, const T* a, const T* b, T* out, const EwPlan& plan) {
    GRID_STRIDE(j, plan.numel) {
        bool take = cond[unravel(j, plan.rank, plan.dims, plan.strides[0])] != C(0);
        out[j] = take ? a[unravel(j, plan.rank, plan.dims, plan.strides[1])]
                      : b[unravel(j, plan.rank, plan.dims, plan.strides[2])];
    }
}

extern "C" {

__global__ void fill_f32(float* out, int n, double value) { fill_impl(out, n, value); }
__global__ void fill_f64(double* out, int n, double value) { fill_impl(out, n, value); }

__global__ void cast_f32_f64(const float* in, double* out, int n) { cast_impl(in, out, n); }
__global__ void cast_f64_f32(const double* in, float* out, int n) { cast_impl(in, out, n); }

__global__ void unary_f32(int kind, double p, const float* in, float* out, int n) {
    unary_impl(kind, p, in, out, n);
}
__global__ void unary_f64(int kind, double p, const double* in, double* out, int n) {
    unary_impl(kind, p, in, out, n);
}

__global__ void binary_f32(int kind, const float* a, const float* b, float* out, EwPlan plan) {
    binary_impl(kind, a, b, out, plan);
}
__global__ void binary_f64(int kind, const double* a, const double* b, double* out, EwPlan plan) {
    binary_impl(kind, a, b, out, plan);
}

// where_<value dtype>_c<condition dtype>: the condition may be stored in either precision
__global__ void where_f32_c32(const float* c, const float* a, const float* b, float* out, EwPlan plan) {
    where_impl(c, a, b, out, plan);
}
__global__ void where_f32_c64(const double* c, const float* a, const float* b, float* out, EwPlan plan) {
    where_impl(c, a, b, out, plan);
}
__global__ void where_f64_c32(const float* c, const double* a, const double* b, double* out, EwPlan plan) {
    where_impl(c, a, b, out, plan);
}
__global__ void where_f64_c64(const double* c, const double* a, const double* b, double* out, EwPlan plan) {
    where_impl(c, a, b, out, plan);
}

}  // extern "C"
