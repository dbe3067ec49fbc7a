// Philox-4x32-10 and PhiloxStream's mapping from words to numbers, host- and device-callable so
// the host check (src/test/cuda/host_check.cu) runs the same code against the Java stream.
#pragma once

#include "common.cuh"

DEV void philox4x32_10(uint32_t c[4], uint32_t k0, uint32_t k1) {
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        uint64_t p0 = (uint64_t) 0xD2511F53u * c[0];
        uint64_t p1 = (uint64_t) 0xCD9E8D57u * c[2];
        uint32_t n0 = (uint32_t) (p1 >> 32) ^ c[1] ^ k0;
        uint32_t n1 = (uint32_t) p1;
        uint32_t n2 = (uint32_t) (p0 >> 32) ^ c[3] ^ k1;
        uint32_t n3 = (uint32_t) p0;
        c[0] = n0;
        c[1] = n1;
        c[2] = n2;
        c[3] = n3;
    }
}

// PhiloxStream.uniform53: (m + 0.5) 2^-53 with m the top 53 bits of (w0, w1); every step is exact
DEV double uniform53(uint32_t w0, uint32_t w1) {
    uint64_t m = ((uint64_t) w0 << 21) | (uint64_t) (w1 >> 11);
    return ((double) m + 0.5) * 0x1p-53;
}

// PhiloxStream.uniform24: ((w0 >>> 9) + 0.5f) 2^-23 with Java's float addition (round to nearest
// even), reproduced bit for bit; 23 bits keep every value, the top one 1 - 2^-24, exact and below 1
DEV float uniform24(uint32_t w0) {
    float m = (float) (w0 >> 9);
    float half_up = m + 0.5f;  // an add, then a power-of-two scale: nothing to contract into an fma
    return half_up * 0x1p-23f;
}

DEV double box_muller(const uint32_t w[4]) {
    const double two_pi = 6.283185307179586;  // 2.0 * Math.PI, exactly
    double u1 = uniform53(w[0], w[1]);
    double u2 = uniform53(w[2], w[3]);
    return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

DEV void stream_words(uint64_t key, uint64_t position, uint32_t w[4]) {
    w[0] = (uint32_t) position;
    w[1] = (uint32_t) (position >> 32);
    w[2] = 0;
    w[3] = 0;
    philox4x32_10(w, (uint32_t) key, (uint32_t) (key >> 32));
}
