// Pooling. The window loops are outside and the output column loop inside, so the inner loop
// runs over a row of outputs with strided reads, which compilers vectorize (compare and select
// keep the first maximum); the per-output order of comparisons is still row-major in the window.
#include "kernels/pool.h"

#include <algorithm>
#include <limits>

namespace liandan {

void maxpool_forward(const PoolGeometry &g, const float *x, float *y, int32_t *argmax) {
    for (int c = 0; c < g.c; ++c)
        for (int oy = 0; oy < g.oh; ++oy) {
            float *__restrict best = y + (size_t(c) * g.oh + oy) * g.ow;
            int32_t *__restrict where = argmax + (size_t(c) * g.oh + oy) * g.ow;
            std::fill_n(best, g.ow, -std::numeric_limits<float>::infinity());
            std::fill_n(where, g.ow, 0);
            for (int i = 0; i < g.size; ++i)
                for (int j = 0; j < g.size; ++j) {
                    const int32_t base = (c * g.h + oy * g.stride + i) * g.w + j; // index of (ox = 0)
                    const float *__restrict row = x + base;
                    for (int ox = 0; ox < g.ow; ++ox) {
                        const float v = row[ox * g.stride];
                        const bool more = v > best[ox];
                        best[ox] = more ? v : best[ox];
                        where[ox] = more ? base + ox * g.stride : where[ox];
                    }
                }
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
