// Element-wise loops of the layers (activations, bias, bias gradients) on flat buffers. Plain
// loops the compilers vectorize natively and for SIMD128; tanh and sigmoid use Eigen's
// vectorized approximations (libm's tanhf costs ~20 ns a value). Shape letters: nn/shapes.h.
#pragma once
#include <cstddef>

namespace liandan {

void relu_forward(size_t n, const float *x, float *y);               // y = max(x, 0)
void relu_backward(size_t n, const float *x, const float *dy, float *dx); // dx = dy · [x > 0]
void tanh_forward(size_t n, const float *x, float *y);
void tanh_backward(size_t n, const float *y, const float *dy, float *dx);    // dx = dy (1 - y²)
void sigmoid_forward(size_t n, const float *x, float *y);
void sigmoid_backward(size_t n, const float *y, const float *dy, float *dx); // dx = dy y (1 - y)

// y [rows, cols] += b [cols], rows ldy apart   (dense: a bias per output unit)
void add_bias_cols(int rows, int cols, size_t ldy, const float *b, float *y);
// y [rows, cols] += b [rows]   (conv: a bias per output channel, over positions)
void add_bias_rows(int rows, int cols, const float *b, float *y);
// out [cols] = Σ_r x [rows, cols], summed in row order (dense: db = Σ_n dY)
void sum_rows(int rows, int cols, size_t ldx, const float *x, float *out);

} // namespace liandan
