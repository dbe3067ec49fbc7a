// Philox-4x32-10 on the device with exactly PhiloxStream's mapping: element i of the output takes
// stream position offset + i, i.e. the Philox block of counter (lo(pos), hi(pos), 0, 0) under key
// (lo(key), hi(key)). Box-Muller runs in double as in Java, then rounds once for F32.
#include "philox.cuh"

extern "C" {

__global__ void random_f32(int kind, uint64_t key, uint64_t offset, float* out, int n) {
    GRID_STRIDE(i, n) {
        uint32_t w[4];
        stream_words(key, offset + (uint64_t) i, w);
        out[i] = kind == RND_UNIFORM ? uniform24(w[0]) : (float) box_muller(w);
    }
}

__global__ void random_f64(int kind, uint64_t key, uint64_t offset, double* out, int n) {
    GRID_STRIDE(i, n) {
        uint32_t w[4];
        stream_words(key, offset + (uint64_t) i, w);
        out[i] = kind == RND_UNIFORM ? uniform53(w[0], w[1]) : box_muller(w);
    }
}

}  // extern "C"
