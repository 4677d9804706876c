// Transposes in 4 × 4 blocks (transpose.h): four rows loaded as vectors, shuffled into four
// columns, stored as vectors. Scalar loops cost a strided load per float: conv2d's dY, 16 × 196
// floats a sample for W2's second layer, took about 2 µs that way.
#include "kernels/transpose.h"

#if defined(__SSE__)
#include <immintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace liandan {
namespace {

#if defined(__SSE__) || defined(__wasm_simd128__)
constexpr bool k_vectors = true;
inline void block4(const float *src, size_t ld_src, float *dst, size_t ld_dst) {
#if defined(__SSE__)
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + ld_src), r2 = _mm_loadu_ps(src + 2 * ld_src),
           r3 = _mm_loadu_ps(src + 3 * ld_src);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0), _mm_storeu_ps(dst + ld_dst, r1), _mm_storeu_ps(dst + 2 * ld_dst, r2), _mm_storeu_ps(dst + 3 * ld_dst, r3);
#else
    const v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + ld_src), r2 = wasm_v128_load(src + 2 * ld_src),
                 r3 = wasm_v128_load(src + 3 * ld_src);
    const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5),
                 t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
    wasm_v128_store(dst, wasm_i64x2_shuffle(t0, t1, 0, 2));
    wasm_v128_store(dst + ld_dst, wasm_i64x2_shuffle(t0, t1, 1, 3));
    wasm_v128_store(dst + 2 * ld_dst, wasm_i64x2_shuffle(t2, t3, 0, 2));
    wasm_v128_store(dst + 3 * ld_dst, wasm_i64x2_shuffle(t2, t3, 1, 3));
#endif
}
#else
constexpr bool k_vectors = false;
inline void block4(const float *, size_t, float *, size_t) {}
#endif

} // namespace

void transpose(int rows, int cols, const float *src, size_t ld_src, float *dst, size_t ld_dst) {
    const int rows4 = k_vectors ? rows / 4 * 4 : 0, cols4 = k_vectors ? cols / 4 * 4 : 0;
    for (int r = 0; r < rows4; r += 4)
        for (int c = 0; c < cols4; c += 4) block4(src + size_t(r) * ld_src + c, ld_src, dst + size_t(c) * ld_dst + r, ld_dst);
    // The edges: rows past the last whole block, then the columns past it in the blocks' rows.
    for (int r = rows4; r < rows; ++r)
        for (int c = 0; c < cols; ++c) dst[size_t(c) * ld_dst + r] = src[size_t(r) * ld_src + c];
    for (int r = 0; r < rows4; ++r)
        for (int c = cols4; c < cols; ++c) dst[size_t(c) * ld_dst + r] = src[size_t(r) * ld_src + c];
}

} // namespace liandan
