// Element-wise kernels. __restrict tells the vectorizer the buffers do not overlap (the callers
// never alias them, except y == x in place, which these loops also allow element by element).
#include "kernels/elementwise.h"

#include "kernels/eigen.h"

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

void tanh_forward(size_t n, const float *x, float *y) {
    Eigen::Map<Eigen::ArrayXf>(y, Eigen::Index(n)) = Eigen::Map<const Eigen::ArrayXf>(x, Eigen::Index(n)).tanh();
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
