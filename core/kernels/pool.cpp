// Pooling. Max pooling gathers eight windows at once with AVX2 and takes one window at a time
// elsewhere; average pooling runs the window loops outside and the output column loop inside, so
// the inner loop runs over a row of outputs with strided reads, which compilers vectorize.
#include "kernels/pool.h"

#include <algorithm>
#include <limits>

#if defined(__AVX2__)
#include <immintrin.h>
#define LIANDAN_POOL_AVX2 1
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
#endif
} // namespace

void maxpool_forward(const PoolGeometry &g, const float *x, float *y, int32_t *argmax) {
    // Per output, the window in row-major order with the best value in a register (without
    // gathers, strided vector loads across outputs cost more than they save: measured natively).
    for (int c = 0; c < g.c; ++c)
        for (int oy = 0; oy < g.oh; ++oy) {
            const int32_t row0 = (c * g.h + oy * g.stride) * g.w; // index of the window's first row
            float *ys = y + (size_t(c) * g.oh + oy) * g.ow;
            int32_t *am = argmax + (size_t(c) * g.oh + oy) * g.ow;
#if LIANDAN_POOL_AVX2
            maxpool_row_avx2(g, x, row0, ys, am);
#else
            for (int ox = 0; ox < g.ow; ++ox) {
                float best = -std::numeric_limits<float>::infinity();
                int32_t where = 0;
                for (int i = 0; i < g.size; ++i) {
                    const int32_t base = row0 + i * g.w + ox * g.stride;
                    for (int j = 0; j < g.size; ++j)
                        if (x[base + j] > best) best = x[base + j], where = base + j; // the first maximum wins
                }
                ys[ox] = best;
                am[ox] = where;
            }
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
