// Host build of the kernels' per-element code (ops.cuh, philox.cuh), driven by HostKernelCheckTest:
// the very functions the GPU runs, compiled for the CPU, checked against the Java oracle. It cannot
// check CUDA's device math library (that needs a GPU), but it checks everything around it: the
// enum-to-function mapping, Java's special cases (NaN in max/pow), the param-in-double rules, and
// the Philox stream bit for bit.
//
// stdin, one query per line; stdout, one answer per line (hex bit patterns):
//   U kind p x   ->  unary_op<float>((float) x) as %08x, unary_op<double>(x) as %016llx
//   B kind a b   ->  binary_op<float>, binary_op<double>
//   R key pos    ->  w0 w1 w2 w3, uniform24 (f32 bits), uniform53 (f64 bits), box_muller (f64 bits)
#include <stdio.h>
#include <string.h>
#include "ops.cuh"
#include "philox.cuh"

static unsigned int fbits(float f) { unsigned int u; memcpy(&u, &f, 4); return u; }
static unsigned long long dbits(double d) { unsigned long long u; memcpy(&u, &d, 8); return u; }
static double dfrom(unsigned long long u) { double d; memcpy(&d, &u, 8); return d; }

int main() {
    char op;
    while (scanf(" %c", &op) == 1) {
        if (op == 'U') {
            int kind; unsigned long long pb, xb;
            scanf("%d %llx %llx", &kind, &pb, &xb);
            double p = dfrom(pb), x = dfrom(xb);
            printf("%08x %016llx\n", fbits(unary_op<float>(kind, (float) x, p)), dbits(unary_op<double>(kind, x, p)));
        } else if (op == 'B') {
            int kind; unsigned long long ab, bb;
            scanf("%d %llx %llx", &kind, &ab, &bb);
            double a = dfrom(ab), b = dfrom(bb);
            printf("%08x %016llx\n", fbits(binary_op<float>(kind, (float) a, (float) b)), dbits(binary_op<double>(kind, a, b)));
        } else if (op == 'R') {
            unsigned long long key, pos;
            scanf("%llx %llx", &key, &pos);
            uint32_t w[4];
            stream_words(key, pos, w);
            printf("%08x %08x %08x %08x %08x %016llx %016llx\n", w[0], w[1], w[2], w[3], fbits(uniform24(w[0])),
                   dbits(uniform53(w[0], w[1])), dbits(box_muller(w)));
        }
    }
    return 0;
}
