// Elementwise function definitions, matching UnaryKernel.apply / BinaryKernel.apply.
//
// F32 uses CUDA's single-precision functions (expf 2 ulp, logf 1 ulp, sinf/cosf 2 ulp, tanhf 2 ulp,
// erff 2 ulp, log1pf 1 ulp: CUDA C Programming Guide, "Mathematical Functions"); F64 the double ones.
// Where the oracle mixes the double parameter p into the arithmetic (scale, shift, leaky slope,
// step threshold, powers) we compute in double and round once, exactly as the oracle does, because
// rounding p to float first could change a result by far more than an ulp (shift by -1.0000000001).
#pragma once

#include "common.cuh"

// Overloads that pick the float or double library function, on the host and on the device alike.
#define DUAL_MATH(name, ffun, dfun) \
    DEV float name(float x) { return ffun(x); } \
    DEV double name(double x) { return dfun(x); }
DUAL_MATH(m_exp, expf, exp)
DUAL_MATH(m_log, logf, log)
DUAL_MATH(m_sqrt, sqrtf, sqrt)
DUAL_MATH(m_abs, fabsf, fabs)
DUAL_MATH(m_sin, sinf, sin)
DUAL_MATH(m_cos, cosf, cos)
DUAL_MATH(m_tanh, tanhf, tanh)
DUAL_MATH(m_erf, erff, erf)
DUAL_MATH(m_log1p, log1pf, log1p)
#undef DUAL_MATH

// The oracle's sigmoid in double (UnaryKernel.SIGMOID): exp never overflows.
DEV double sigmoid_d(double x) {
    if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

template <typename T> DEV T unary_op(int kind, T x, double p) {
    switch (kind) {
        case U_NEG: return -x;
        case U_EXP: return m_exp(x);
        case U_LOG: return m_log(x);
        case U_SQRT: return m_sqrt(x);
        case U_RSQRT: return T(1) / m_sqrt(x);  // both correctly rounded (no rsqrtf: 2 ulp)
        case U_ABS: return m_abs(x);
        case U_SIN: return m_sin(x);
        case U_COS: return m_cos(x);
        case U_TANH: return m_tanh(x);
        case U_SIGMOID: {
            // the oracle's two branches: exp never overflows
            if (x >= T(0)) return T(1) / (T(1) + m_exp(-x));
            T e = m_exp(x);
            return e / (T(1) + e);
        }
        case U_RELU: return x <= T(0) ? T(0) : x;   // NaN stays NaN, as PyTorch
        case U_LEAKY_RELU: return x > T(0) ? x : (T) (p * (double) x);
        case U_SOFTPLUS: {
            // max(x, 0) + log1p(e^-|x|); NaN propagates through the second term as in Java
            T m = x > T(0) ? x : T(0);
            return m + m_log1p(m_exp(-m_abs(x)));
        }
        case U_ERF: return m_erf(x);
        case U_SIGN: return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
        case U_STEP: return (double) x > p ? T(1) : T(0);
        case U_POW_SCALAR: {
            // x*x is exact before the final rounding, like the oracle's special case
            if (p == 2.0) return x * x;
            return (T) java_pow((double) x, p);
        }
        case U_SCALE: return (T) ((double) x * p);
        case U_SHIFT: return (T) ((double) x + p);
        // SiLU and its derivative in double, rounded once, by the oracle's formulas: the
        // derivative has a root near x = -1.28 that a float evaluation would blur
        case U_SILU: { double xd = (double) x; return (T) (xd * sigmoid_d(xd)); }
        case U_SILU_GRAD: {
            double xd = (double) x;
            double s = sigmoid_d(xd);
            return (T) (s * (1.0 + xd * (1.0 - s)));
        }
        default: return x - x + (T) NAN;  // unknown kind: poison the output rather than pass data through
    }
}

template <typename T> DEV T binary_op(int kind, T a, T b) {
    switch (kind) {
        // + - * / on floats are correctly rounded, so they equal the oracle's round(double op)
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return (T) java_pow((double) a, (double) b);
        case B_MAX: return java_max(a, b);
        case B_MIN: return java_min(a, b);
        case B_GT: return a > b ? T(1) : T(0);
        case B_GE: return a >= b ? T(1) : T(0);
        case B_EQ: return a == b ? T(1) : T(0);
        default: return (T) NAN;
    }
}
