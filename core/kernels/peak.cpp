// Peak probe: 12 independent accumulators, enough to cover FMA latency × throughput on x86
// (4 cycles × 2 ports) and SIMD128's separate multiply and add.
#include "kernels/peak.h"

#include <cstdio>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace liandan {

double peak_probe(long iterations) {
#if defined(__AVX2__) && defined(__FMA__)
    __m256 acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i));
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (long it = 0; it < iterations; ++it)
        for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    __m256 sum = acc[0];
    for (int i = 1; i < 12; ++i) sum = _mm256_add_ps(sum, acc[i]);
    volatile float sink = _mm256_cvtss_f32(sum);
    (void)sink;
    return double(iterations) * 12 * 8 * 2;
#elif defined(__wasm_simd128__)
    // SIMD128 has no fused multiply-add: independent chains of multiplies and of adds (6 each,
    // 12 registers, so V8 keeps them all in xmm registers) measure the two ports together.
    v128_t m[6], s[6];
    for (int i = 0; i < 6; ++i) m[i] = wasm_f32x4_splat(1.0f + float(i)), s[i] = wasm_f32x4_splat(float(i));
    const v128_t a = wasm_f32x4_splat(0.999999f), b = wasm_f32x4_splat(1e-7f);
    for (long it = 0; it < iterations; ++it)
        for (int i = 0; i < 6; ++i) {
            m[i] = wasm_f32x4_mul(m[i], a);
            s[i] = wasm_f32x4_add(s[i], b);
        }
    v128_t sum = m[0];
    for (int i = 1; i < 6; ++i) sum = wasm_f32x4_add(sum, wasm_f32x4_add(m[i], s[i]));
    volatile float sink = wasm_f32x4_extract_lane(sum, 0);
    (void)sink;
    return double(iterations) * 12 * 4;
#else
    float acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = float(i);
    for (long it = 0; it < iterations; ++it)
        for (int i = 0; i < 12; ++i) acc[i] = acc[i] * 0.999999f + 1e-7f;
    volatile float sink = acc[0];
    (void)sink;
    return double(iterations) * 12 * 2;
#endif
}

} // namespace liandan
