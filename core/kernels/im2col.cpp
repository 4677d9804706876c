// im2col / col2im. For each (c, ki, kj) row only the output columns whose input column lies
// inside the image are copied; the rest are padding zeros. Stride 1 (valid padding: same padding
// never unfolds, see nn/conv2d.cpp) copies and adds contiguous runs in four-float vectors.
#include "kernels/im2col.h"

#include <algorithm>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <immintrin.h>
#endif

// Copies and zero runs are plain loops that must stay loops: compilers turn them into calls to
// memcpy / memset (in wasm, memory.copy / memory.fill, which V8 runs as calls out of the module),
// and these runs are a few to a few hundred floats (W2, when it unfolded: 1,300 calls a sample, 14% of a wasm step).
// GCC's calls are left as they are: glibc's copies beat its loops on the long runs (measured:
// -fno-tree-loop-distribute-patterns made LeNet's first im2col 2.6 → 5.1 µs).
#if defined(__clang__)
#define LIANDAN_PLAIN_LOOPS __attribute__((no_builtin("memcpy", "memmove", "memset")))
#else
#define LIANDAN_PLAIN_LOOPS
#endif

namespace liandan {
namespace {
// Four floats at a time, unaligned.
inline void move4(float *dst, const float *src) {
#if defined(__wasm_simd128__)
    wasm_v128_store(dst, wasm_v128_load(src));
#elif defined(__SSE2__)
    _mm_storeu_ps(dst, _mm_loadu_ps(src));
#else
    for (int i = 0; i < 4; ++i) dst[i] = src[i];
#endif
}
inline void add4(float *dst, const float *src) {
#if defined(__wasm_simd128__)
    wasm_v128_store(dst, wasm_f32x4_add(wasm_v128_load(dst), wasm_v128_load(src)));
#elif defined(__SSE2__)
    _mm_storeu_ps(dst, _mm_add_ps(_mm_loadu_ps(dst), _mm_loadu_ps(src)));
#else
    for (int i = 0; i < 4; ++i) dst[i] += src[i];
#endif
}

// n floats in four-float moves, the last one overlapping the one before when n is not a multiple
// of four: a valid convolution's runs are short (LeNet's second: 10 floats, 3,000 runs a sample),
// and a loop's scalar tail would cost as much as the run.
LIANDAN_PLAIN_LOOPS inline void copy_floats(float *__restrict dst, const float *__restrict src, size_t n) {
    if (n < 4 || n > 16) { // long runs: the loop, which compilers vectorize as wide as they can
        for (size_t i = 0; i < n; ++i) dst[i] = src[i];
        return;
    }
    size_t i = 0;
    for (; i + 4 <= n; i += 4) move4(dst + i, src + i);
    if (i < n) move4(dst + n - 4, src + n - 4);
}
// dst += src over n floats (each element once: no overlapping tail).
LIANDAN_PLAIN_LOOPS inline void add_floats(float *__restrict dst, const float *__restrict src, size_t n) {
    if (n > 16) {
        for (size_t i = 0; i < n; ++i) dst[i] += src[i];
        return;
    }
    size_t i = 0;
    for (; i + 4 <= n; i += 4) add4(dst + i, src + i);
    for (; i < n; ++i) dst[i] += src[i];
}
LIANDAN_PLAIN_LOOPS inline void zero_floats(float *dst, size_t n) {
    for (size_t i = 0; i < n; ++i) dst[i] = 0.0f;
}

// Output columns [lo, hi) whose input column ix = ox·stride + kj - pad lies inside [0, W).
inline void inside_columns(const ConvGeometry &g, int kj, int &lo, int &hi) {
    lo = std::clamp((g.pad - kj + g.stride - 1) / g.stride, 0, g.ow);
    hi = std::clamp((g.w + g.pad - kj + g.stride - 1) / g.stride, lo, g.ow);
}

// Stride 1 without padding ('valid'): every output position reads inside the image, so a row of
// cols is OH runs of OW floats, each from one image row shifted by kj.
LIANDAN_PLAIN_LOOPS void im2col_valid(const ConvGeometry &g, const float *x, float *cols, size_t ld) {
    for (int c = 0; c < g.c; ++c)
        for (int ki = 0; ki < g.k; ++ki)
            for (int kj = 0; kj < g.k; ++kj) {
                float *row = cols + size_t((c * g.k + ki) * g.k + kj) * ld;
                const float *src = x + (size_t(c) * g.h + ki) * g.w + kj;
                for (int oy = 0; oy < g.oh; ++oy) copy_floats(row + size_t(oy) * g.ow, src + size_t(oy) * g.w, g.ow);
            }
}

// The adjoint of im2col_valid, in the same (c, ki, kj, oy, ox) order.
LIANDAN_PLAIN_LOOPS void col2im_valid(const ConvGeometry &g, const float *cols, size_t ld, float *dx) {
    for (int c = 0; c < g.c; ++c)
        for (int ki = 0; ki < g.k; ++ki)
            for (int kj = 0; kj < g.k; ++kj) {
                const float *row = cols + size_t((c * g.k + ki) * g.k + kj) * ld;
                float *dst = dx + (size_t(c) * g.h + ki) * g.w + kj;
                for (int oy = 0; oy < g.oh; ++oy) add_floats(dst + size_t(oy) * g.w, row + size_t(oy) * g.ow, g.ow);
            }
}

} // namespace

LIANDAN_PLAIN_LOOPS void im2col(const ConvGeometry &g, const float *x, float *cols, size_t ld) {
    if (g.stride == 1 && g.pad == 0) return im2col_valid(g, x, cols, ld);
    for (int c = 0; c < g.c; ++c)
        for (int ki = 0; ki < g.k; ++ki)
            for (int kj = 0; kj < g.k; ++kj) {
                float *row = cols + size_t((c * g.k + ki) * g.k + kj) * ld;
                int lo, hi;
                inside_columns(g, kj, lo, hi);
                for (int oy = 0; oy < g.oh; ++oy) {
                    float *dst = row + size_t(oy) * g.ow;
                    const int iy = oy * g.stride + ki - g.pad;
                    if (iy < 0 || iy >= g.h) {
                        zero_floats(dst, g.ow);
                        continue;
                    }
                    const float *src = x + (size_t(c) * g.h + iy) * g.w;
                    const int shift = kj - g.pad; // ix = ox·stride + shift
                    zero_floats(dst, lo);
                    if (g.stride == 1) copy_floats(dst + lo, src + lo + shift, hi - lo);
                    else
                        for (int ox = lo; ox < hi; ++ox) dst[ox] = src[ox * g.stride + shift];
                    zero_floats(dst + hi, g.ow - hi);
                }
            }
}

LIANDAN_PLAIN_LOOPS void col2im(const ConvGeometry &g, const float *cols, size_t ld, float *dx) {
    zero_floats(dx, size_t(g.c) * g.h * g.w);
    if (g.stride == 1 && g.pad == 0) return col2im_valid(g, cols, ld, dx);
    for (int c = 0; c < g.c; ++c)
        for (int ki = 0; ki < g.k; ++ki)
            for (int kj = 0; kj < g.k; ++kj) {
                const float *row = cols + size_t((c * g.k + ki) * g.k + kj) * ld;
                int lo, hi;
                inside_columns(g, kj, lo, hi);
                for (int oy = 0; oy < g.oh; ++oy) {
                    const int iy = oy * g.stride + ki - g.pad;
                    if (iy < 0 || iy >= g.h) continue;
                    const float *__restrict src = row + size_t(oy) * g.ow;
                    float *__restrict dst = dx + (size_t(c) * g.h + iy) * g.w;
                    const int shift = kj - g.pad;
                    if (g.stride == 1)
                        for (int ox = lo; ox < hi; ++ox) dst[ox + shift] += src[ox];
                    else
                        for (int ox = lo; ox < hi; ++ox) dst[ox * g.stride + shift] += src[ox];
                }
            }
}

} // namespace liandan
