// Activation functions and their derivatives. Slopes match PyTorch's defaults
// (leaky_relu 0.01, elu alpha 1, exact erf gelu); softmax is max-shifted for stability.
#include "nn/activation.h"

#include "kernels/elementwise.h"
#include "util/thread_pool.h"

#include <algorithm>
#include <cmath>

namespace liandan {
namespace {
constexpr float k_leaky_slope = 0.01f;
constexpr float k_inv_sqrt2 = 0.70710678118654752f;
constexpr float k_inv_sqrt_2pi = 0.39894228040143268f;

// Element-wise passes over a conv layer's batch (hundreds of thousands of values) are split over
// the pool in blocks of k_block values: every split point is a multiple of the kernels' vector
// width, so each value is computed the same way (vector body or scalar tail) for any thread count.
constexpr size_t k_block = 4096, k_parallel_min = 1 << 16;
template <class F> void for_blocks(RunContext &ctx, size_t count, F &&f) {
    if (!ctx.pool || ctx.pool->size() < 2 || count < k_parallel_min) return f(size_t(0), count);
    const int blocks = int((count + k_block - 1) / k_block);
    ctx.pool->parallel_for(blocks, [&](int b0, int b1, int) { f(size_t(b0) * k_block, std::min(count, size_t(b1) * k_block)); }, k_sample_chunks_per_thread);
}
} // namespace

float activate(Activation kind, float x) {
    switch (kind) {
    case Activation::linear: return x;
    case Activation::relu: return x > 0 ? x : 0.0f;
    case Activation::leaky_relu: return x > 0 ? x : k_leaky_slope * x;
    case Activation::elu: return x > 0 ? x : std::expm1(x);
    case Activation::gelu: return 0.5f * x * (1.0f + std::erf(x * k_inv_sqrt2));
    case Activation::sigmoid: return 1.0f / (1.0f + std::exp(-x));
    case Activation::tanh: return std::tanh(x);
    case Activation::softmax: return 1.0f; // a one-element softmax; real ones go through the layer
    }
    return x;
}

void ActivationLayer::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int F = shape_.size();
    const size_t count = size_t(n) * F;
    switch (kind_) {
    case Activation::softmax: // y = e^(x - max) / Σ e^(x - max), per sample
        for (int r = 0; r < n; ++r) {
            const float *xr = x + size_t(r) * F;
            float *yr = y + size_t(r) * F;
            const float m = *std::max_element(xr, xr + F);
            float sum = 0;
            for (int f = 0; f < F; ++f) sum += yr[f] = std::exp(xr[f] - m);
            for (int f = 0; f < F; ++f) yr[f] /= sum;
        }
        break;
    default:
        for_blocks(ctx, count, [&](size_t i0, size_t i1) {
            const size_t m = i1 - i0;
            const float *xs = x + i0;
            float *ys = y + i0;
            switch (kind_) {
            case Activation::relu: relu_forward(m, xs, ys); break;
            case Activation::tanh: tanh_forward(m, xs, ys); break; // Eigen's rational approximation, vectorized
            case Activation::sigmoid: sigmoid_forward(m, xs, ys); break;
            default:
                for (size_t i = 0; i < m; ++i) ys[i] = activate(kind_, xs[i]);
            }
        });
    }
}

void ActivationLayer::backward(const float *x_all, const float *y_all, const float *dy_all, float *dx_all, int n, RunContext &ctx) {
    if (!dx_all) return;
    const int F = shape_.size();
    const size_t count = size_t(n) * F;
    if (kind_ == Activation::softmax) { // dx = y ⊙ (dy - Σ dy ⊙ y)
        for (int r = 0; r < n; ++r) {
            const float *yr = y_all + size_t(r) * F, *dyr = dy_all + size_t(r) * F;
            float dot = 0;
            for (int f = 0; f < F; ++f) dot += dyr[f] * yr[f];
            for (int f = 0; f < F; ++f) dx_all[size_t(r) * F + f] = yr[f] * (dyr[f] - dot);
        }
        return;
    }
    for_blocks(ctx, count, [&](size_t i0, size_t i1) {
        const size_t m = i1 - i0;
        const float *x = x_all + i0, *y = y_all + i0, *dy = dy_all + i0;
        float *dx = dx_all + i0;
        switch (kind_) {
        case Activation::softmax: break; // above
        case Activation::linear:
            for (size_t i = 0; i < m; ++i) dx[i] = dy[i];
            break;
        case Activation::relu: relu_backward(m, x, dy, dx); break; // dx = dy · [x > 0]
        case Activation::leaky_relu:
            for (size_t i = 0; i < m; ++i) dx[i] = x[i] > 0 ? dy[i] : k_leaky_slope * dy[i];
            break;
        case Activation::elu: // d/dx (eˣ - 1) = y + 1 for x ≤ 0
            for (size_t i = 0; i < m; ++i) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + 1.0f);
            break;
        case Activation::gelu: // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            for (size_t i = 0; i < m; ++i) {
                float cdf = 0.5f * (1.0f + std::erf(x[i] * k_inv_sqrt2));
                float pdf = k_inv_sqrt_2pi * std::exp(-0.5f * x[i] * x[i]);
                dx[i] = dy[i] * (cdf + x[i] * pdf);
            }
            break;
        case Activation::sigmoid: sigmoid_backward(m, y, dy, dx); break; // σ' = y(1 - y)
        case Activation::tanh: tanh_backward(m, y, dy, dx); break;       // tanh' = 1 - y²
        }
    });
}

} // namespace liandan
