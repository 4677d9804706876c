// Element-wise kernels. __restrict tells the vectorizer the buffers do not overlap (the callers
// never alias them, except y == x in place, which these loops also allow element by element).
#include "kernels/elementwise.h"

#include "kernels/eigen.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace liandan {

void relu_forward(size_t n, const float *x, float *y) {
    for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f;
}

void relu_backward(size_t n, const float *__restrict x, const float *__restrict dy, float *__restrict dx) {
    // dy is read whatever x is: a load under the condition does not vectorize in wasm (no masked
    // loads), and the loop ran scalar there.
    for (size_t i = 0; i < n; ++i) {
        const float d = dy[i];
        dx[i] = x[i] > 0 ? d : 0.0f;
    }
}

#if defined(__wasm_simd128__)
namespace {
// Eigen's rational approximation of tanh (generic_fast_tanh_float, without fused multiply-adds
// as wasm has none), four at a time: Eigen has no wasm vectors and ran it one value at a time,
// a ninth of a small network's step. The same operations in the same order: the same floats.
v128_t tanh4(v128_t a) {
    auto madd = [](v128_t x, v128_t y, float c) { return wasm_f32x4_add(wasm_f32x4_mul(x, y), wasm_f32x4_splat(c)); };
    const v128_t x = wasm_f32x4_max(wasm_f32x4_min(a, wasm_f32x4_splat(7.90531110763549805f)), wasm_f32x4_splat(-7.90531110763549805f));
    const v128_t tiny = wasm_f32x4_lt(wasm_f32x4_abs(a), wasm_f32x4_splat(0.0004f));
    const v128_t x2 = wasm_f32x4_mul(x, x);
    v128_t p = madd(x2, wasm_f32x4_splat(-2.76076847742355e-16f), 2.00018790482477e-13f);
    p = madd(x2, p, -8.60467152213735e-11f);
    p = madd(x2, p, 5.12229709037114e-08f);
    p = madd(x2, p, 1.48572235717979e-05f);
    p = madd(x2, p, 6.37261928875436e-04f);
    p = madd(x2, p, 4.89352455891786e-03f);
    p = wasm_f32x4_mul(x, p);
    v128_t q = madd(x2, wasm_f32x4_splat(1.19825839466702e-06f), 1.18534705686654e-04f);
    q = madd(x2, q, 2.26843463243900e-03f);
    q = madd(x2, q, 4.89352518554385e-03f);
    return wasm_v128_bitselect(x, wasm_f32x4_div(p, q), tiny);
}
} // namespace
#endif

void tanh_forward(size_t n, const float *x, float *y) {
    size_t i = 0;
#if defined(__wasm_simd128__)
    for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, tanh4(wasm_v128_load(x + i)));
#endif
    Eigen::Map<Eigen::ArrayXf>(y + i, Eigen::Index(n - i)) = Eigen::Map<const Eigen::ArrayXf>(x + i, Eigen::Index(n - i)).tanh();
}

void tanh_backward(size_t n, const float *__restrict y, const float *__restrict dy, float *__restrict dx) {
    for (size_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void sigmoid_forward(size_t n, const float *x, float *y) {
    Eigen::Map<Eigen::ArrayXf>(y, Eigen::Index(n)) = Eigen::Map<const Eigen::ArrayXf>(x, Eigen::Index(n)).logistic();
}

void sigmoid_backward(size_t n, const float *__restrict y, const float *__restrict dy, float *__restrict dx) {
    for (size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

void add_bias_cols(int rows, int cols, size_t ldy, const float *__restrict b, float *__restrict y) {
    for (int r = 0; r < rows; ++r, y += ldy)
        for (int c = 0; c < cols; ++c) y[c] += b[c];
}

void add_bias_rows(int rows, int cols, const float *__restrict b, float *__restrict y) {
    for (int r = 0; r < rows; ++r, y += cols) {
        const float br = b[r];
        for (int c = 0; c < cols; ++c) y[c] += br;
    }
}

void sum_rows(int rows, int cols, size_t ldx, const float *__restrict x, float *__restrict out) {
    for (int c = 0; c < cols; ++c) out[c] = 0.0f;
    for (int r = 0; r < rows; ++r, x += ldx)
        for (int c = 0; c < cols; ++c) out[c] += x[c];
}

} // namespace liandan
