// Pooling. Max pooling takes eight windows at once with AVX2 (2 × 2 ones from two rows split
// into even and odd columns, others gathered), four 2 × 2 windows at once with SIMD128 (the same
// split), and one window at a time elsewhere; average pooling runs the window loops outside and
// the output column loop inside, so the inner loop runs over a row of outputs with strided reads,
// which compilers vectorize.
#include "kernels/pool.h"

#include <algorithm>
#include <limits>

#if defined(__AVX2__)
#include <immintrin.h>
#define LIANDAN_POOL_AVX2 1
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define LIANDAN_POOL_SIMD128 1
#endif

namespace liandan {
namespace {
#if LIANDAN_POOL_AVX2
// Eight outputs of a row at once (fewer in the last group, masked): each window value is gathered
// for the eight windows and compared in the scalar loop's order (strictly greater: the first
// maximum wins, a NaN never does), so the results are the scalar loop's.
void maxpool_row_avx2(const PoolGeometry &g, const float *x, int32_t row0, float *ys, int32_t *am) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), step = _mm256_mullo_epi32(lane, _mm256_set1_epi32(g.stride));
    for (int ox = 0; ox < g.ow; ox += 8) {
        const __m256i live = _mm256_cmpgt_epi32(_mm256_set1_epi32(g.ow - ox), lane); // lanes with an output
        __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
        __m256i where = _mm256_setzero_si256();
        for (int i = 0; i < g.size; ++i)
            for (int j = 0; j < g.size; ++j) {
                const __m256i at = _mm256_add_epi32(step, _mm256_set1_epi32(row0 + i * g.w + ox * g.stride + j));
                const __m256 v = _mm256_mask_i32gather_ps(best, x, at, _mm256_castsi256_ps(live), 4);
                const __m256 better = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
                best = _mm256_blendv_ps(best, v, better);
                where = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(where), _mm256_castsi256_ps(at), better));
            }
        _mm256_maskstore_ps(ys + ox, live, best);
        _mm256_maskstore_epi32(am + ox, live, where);
    }
}

// 2 × 2 windows with stride 2 (the usual pool) without gathers, which are slow on some x86 cores
// (half of W2's first pool): each input row's next sixteen floats are loaded (masked past the
// row's end), split into even and odd columns, and the four window positions compared in the
// scalar loop's order, so the results are its results.
void maxpool_row_2x2_avx2(const PoolGeometry &g, const float *x, int32_t row0, float *ys, int32_t *am) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), even_column = _mm256_add_epi32(lane, lane);
    const __m256i one = _mm256_set1_epi32(1);
    for (int ox = 0; ox < g.ow; ox += 8) {
        const __m256i live = _mm256_cmpgt_epi32(_mm256_set1_epi32(g.ow - ox), lane);
        const int inside = g.w - 2 * ox; // floats of the row from column 2·ox on
        const __m256i inside0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(inside), lane);
        const __m256i inside1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(inside - 8), lane);
        __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
        __m256i where = _mm256_setzero_si256();
        for (int i = 0; i < 2; ++i) {
            const int32_t base = row0 + i * g.w + 2 * ox;
            const __m256 a = _mm256_maskload_ps(x + base, inside0), b = _mm256_maskload_ps(x + base + 8, inside1);
            // [a0 a2 b0 b2 | a4 a6 b4 b6] -> [a0 a2 a4 a6 b0 b2 b4 b6], and the odd columns alike
            const auto columns = [&](int pick) {
                const __m256 mixed = pick ? _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)) : _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
                return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(mixed), _MM_SHUFFLE(3, 1, 2, 0)));
            };
            const __m256i at = _mm256_add_epi32(_mm256_set1_epi32(base), even_column);
            for (int j = 0; j < 2; ++j) {
                const __m256 v = columns(j);
                const __m256 better = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
                best = _mm256_blendv_ps(best, v, better);
                const __m256i at_j = j ? _mm256_add_epi32(at, one) : at;
                where = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(where), _mm256_castsi256_ps(at_j), better));
            }
        }
        _mm256_maskstore_ps(ys + ox, live, best);
        _mm256_maskstore_epi32(am + ox, live, where);
    }
}
#endif

// Outputs [ox0, ow) of a row one window at a time, in the window's row-major order; the first
// maximum wins and a NaN never does (selects, not branches: the winner is data, not a pattern).
[[maybe_unused]] void maxpool_row(const PoolGeometry &g, const float *x, int32_t row0, int ox0, float *ys, int32_t *am) {
    for (int ox = ox0; ox < g.ow; ++ox) {
        float best = -std::numeric_limits<float>::infinity();
        int32_t where = 0;
        for (int i = 0; i < g.size; ++i) {
            const int32_t base = row0 + i * g.w + ox * g.stride;
            for (int j = 0; j < g.size; ++j) {
                const float v = x[base + j];
                const bool better = v > best;
                best = better ? v : best;
                where = better ? base + j : where;
            }
        }
        ys[ox] = best;
        am[ox] = where;
    }
}

#if LIANDAN_POOL_SIMD128
// 2 × 2 windows with stride 2, four outputs at once: each of the two input rows is loaded as eight
// floats and split into its even and odd columns, and the four window positions are compared in
// maxpool_row's order, so the results are its results. The rest of the row goes to maxpool_row.
void maxpool_row_2x2(const PoolGeometry &g, const float *x, int32_t row0, float *ys, int32_t *am) {
    const v128_t lane = wasm_i32x4_make(0, 2, 4, 6);
    int ox = 0;
    for (; ox + 4 <= g.ow; ox += 4) {
        v128_t best = wasm_f32x4_splat(-std::numeric_limits<float>::infinity()), where = wasm_i32x4_splat(0);
        for (int i = 0; i < 2; ++i) {
            const int32_t base = row0 + i * g.w + 2 * ox;
            const v128_t a = wasm_v128_load(x + base), b = wasm_v128_load(x + base + 4);
            const v128_t at = wasm_i32x4_add(lane, wasm_i32x4_splat(base));
            const v128_t even = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6), odd = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
            v128_t better = wasm_f32x4_gt(even, best);
            best = wasm_v128_bitselect(even, best, better);
            where = wasm_v128_bitselect(at, where, better);
            better = wasm_f32x4_gt(odd, best);
            best = wasm_v128_bitselect(odd, best, better);
            where = wasm_v128_bitselect(wasm_i32x4_add(at, wasm_i32x4_splat(1)), where, better);
        }
        wasm_v128_store(ys + ox, best);
        wasm_v128_store(am + ox, where);
    }
    maxpool_row(g, x, row0, ox, ys, am);
}
#endif
} // namespace

void maxpool_forward(const PoolGeometry &g, const float *x, float *y, int32_t *argmax) {
    for (int c = 0; c < g.c; ++c)
        for (int oy = 0; oy < g.oh; ++oy) {
            const int32_t row0 = (c * g.h + oy * g.stride) * g.w; // index of the window's first row
            float *ys = y + (size_t(c) * g.oh + oy) * g.ow;
            int32_t *am = argmax + (size_t(c) * g.oh + oy) * g.ow;
#if LIANDAN_POOL_AVX2
            if (g.size == 2 && g.stride == 2) maxpool_row_2x2_avx2(g, x, row0, ys, am);
            else maxpool_row_avx2(g, x, row0, ys, am);
#else
#if LIANDAN_POOL_SIMD128
            if (g.size == 2 && g.stride == 2) {
                maxpool_row_2x2(g, x, row0, ys, am);
                continue;
            }
#endif
            maxpool_row(g, x, row0, 0, ys, am);
#endif
        }
}

void maxpool_backward(const PoolGeometry &g, const int32_t *argmax, const float *dy, float *dx) {
    std::fill_n(dx, size_t(g.c) * g.h * g.w, 0.0f);
    const size_t n_out = size_t(g.c) * g.oh * g.ow;
    for (size_t o = 0; o < n_out; ++o) dx[argmax[o]] += dy[o];
}

void avgpool_forward(const PoolGeometry &g, const float *x, float *y) {
    const float inv_area = 1.0f / float(g.size * g.size);
    for (int c = 0; c < g.c; ++c)
        for (int oy = 0; oy < g.oh; ++oy) {
            float *__restrict sum = y + (size_t(c) * g.oh + oy) * g.ow;
            std::fill_n(sum, g.ow, 0.0f);
            for (int i = 0; i < g.size; ++i)
                for (int j = 0; j < g.size; ++j) {
                    const float *__restrict row = x + (size_t(c) * g.h + oy * g.stride + i) * g.w + j;
                    for (int ox = 0; ox < g.ow; ++ox) sum[ox] += row[ox * g.stride];
                }
            for (int ox = 0; ox < g.ow; ++ox) sum[ox] *= inv_area;
        }
}

void avgpool_backward(const PoolGeometry &g, const float *dy, float *dx) {
    const float inv_area = 1.0f / float(g.size * g.size);
    std::fill_n(dx, size_t(g.c) * g.h * g.w, 0.0f);
    for (int c = 0; c < g.c; ++c)
        for (int oy = 0; oy < g.oh; ++oy) {
            const float *dyr = dy + (size_t(c) * g.oh + oy) * g.ow;
            for (int i = 0; i < g.size; ++i)
                for (int j = 0; j < g.size; ++j) {
                    float *row = dx + (size_t(c) * g.h + oy * g.stride + i) * g.w + j;
                    for (int ox = 0; ox < g.ow; ++ox) row[ox * g.stride] += dyr[ox] * inv_area;
                }
        }
}

} // namespace liandan
