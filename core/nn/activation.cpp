// Activation functions and their derivatives. Slopes match PyTorch's defaults
// (leaky_relu 0.01, elu alpha 1, exact erf gelu); softmax is max-shifted for stability.
#include "nn/activation.h"

#include "kernels/elementwise.h"

#include <algorithm>
#include <cmath>

namespace liandan {
namespace {
constexpr float k_leaky_slope = 0.01f;
constexpr float k_inv_sqrt2 = 0.70710678118654752f;
constexpr float k_inv_sqrt_2pi = 0.39894228040143268f;
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

void ActivationLayer::forward(const float *x, float *y, int n, RunContext &) {
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
    case Activation::relu: relu_forward(count, x, y); break;
    case Activation::tanh: tanh_forward(count, x, y); break; // Eigen's rational approximation, vectorized
    case Activation::sigmoid: sigmoid_forward(count, x, y); break;
    default:
        for (size_t i = 0; i < count; ++i) y[i] = activate(kind_, x[i]);
    }
}

void ActivationLayer::backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &) {
    if (!dx) return;
    const int F = shape_.size();
    const size_t count = size_t(n) * F;
    switch (kind_) {
    case Activation::softmax: // dx = y ⊙ (dy - Σ dy ⊙ y)
        for (int r = 0; r < n; ++r) {
            const float *yr = y + size_t(r) * F, *dyr = dy + size_t(r) * F;
            float dot = 0;
            for (int f = 0; f < F; ++f) dot += dyr[f] * yr[f];
            for (int f = 0; f < F; ++f) dx[size_t(r) * F + f] = yr[f] * (dyr[f] - dot);
        }
        break;
    case Activation::linear:
        for (size_t i = 0; i < count; ++i) dx[i] = dy[i];
        break;
    case Activation::relu: relu_backward(count, x, dy, dx); break; // dx = dy · [x > 0]
    case Activation::leaky_relu:
        for (size_t i = 0; i < count; ++i) dx[i] = x[i] > 0 ? dy[i] : k_leaky_slope * dy[i];
        break;
    case Activation::elu: // d/dx (eˣ - 1) = y + 1 for x ≤ 0
        for (size_t i = 0; i < count; ++i) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + 1.0f);
        break;
    case Activation::gelu: // d/dx x·Φ(x) = Φ(x) + x·φ(x)
        for (size_t i = 0; i < count; ++i) {
            float cdf = 0.5f * (1.0f + std::erf(x[i] * k_inv_sqrt2));
            float pdf = k_inv_sqrt_2pi * std::exp(-0.5f * x[i] * x[i]);
            dx[i] = dy[i] * (cdf + x[i] * pdf);
        }
        break;
    case Activation::sigmoid: sigmoid_backward(count, y, dy, dx); break; // σ' = y(1 - y)
    case Activation::tanh: tanh_backward(count, y, dy, dx); break;       // tanh' = 1 - y²
    }
}

} // namespace liandan
