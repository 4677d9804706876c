// BatchNorm forward and backward; statistics accumulated in double for stable means.
#include "nn/batchnorm.h"

#include <cmath>

namespace liandan {

std::vector<ParamView> BatchNorm::param_shapes(const std::string &prefix) const {
    const int C = channels();
    // Offsets within this layer: weight, bias in the trainable buffer; the rest in the state buffer.
    return {{prefix + "weight", {C}, 0, size_t(C), true, ParamInit::ones},
            {prefix + "bias", {C}, size_t(C), size_t(C), true, ParamInit::zeros},
            {prefix + "running_mean", {C}, 0, size_t(C), false, ParamInit::zeros},
            {prefix + "running_var", {C}, size_t(C), size_t(C), false, ParamInit::ones},
            {prefix + "num_batches_tracked", {}, 2 * size_t(C), 1, false, ParamInit::zeros, true}};
}

void BatchNorm::bind(float *params, float *grads, float *state) {
    const int C = channels();
    gamma_ = params, beta_ = params + C;
    dgamma_ = grads, dbeta_ = grads + C;
    running_mean_ = state, running_var_ = state + C, batches_ = state + 2 * C;
}

void BatchNorm::allocate(const Capacity &cap) {
    xhat_.assign(size_t(cap.max_batch) * in_.size(), 0.0f);
    inv_std_.assign(channels(), 0.0f);
}

void BatchNorm::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int C = channels(), S = spatial();
    const size_t m = size_t(n) * S; // values per channel in this batch
    for (int c = 0; c < C; ++c) {
        double mean, var;
        if (ctx.training) {
            double sum = 0, sum2 = 0;
            for (int s = 0; s < n; ++s)
                for (int p = 0; p < S; ++p) sum += x[(size_t(s) * C + c) * S + p];
            mean = sum / double(m);
            for (int s = 0; s < n; ++s)
                for (int p = 0; p < S; ++p) {
                    double d = x[(size_t(s) * C + c) * S + p] - mean;
                    sum2 += d * d;
                }
            var = sum2 / double(m); // biased, for normalizing (as PyTorch)
            // running = (1 - momentum) · running + momentum · batch; the variance unbiased
            running_mean_[c] = float((1 - momentum_) * running_mean_[c] + momentum_ * mean);
            running_var_[c] = float((1 - momentum_) * running_var_[c] + momentum_ * (m > 1 ? var * double(m) / double(m - 1) : var));
        } else {
            mean = running_mean_[c];
            var = running_var_[c];
        }
        const float inv_std = float(1.0 / std::sqrt(var + eps_)), g = gamma_[c], b = beta_[c], mu = float(mean);
        inv_std_[c] = inv_std;
        for (int s = 0; s < n; ++s)
            for (int p = 0; p < S; ++p) {
                const size_t i = (size_t(s) * C + c) * S + p;
                // x̂ = (x - μ) / √(σ² + ε);  y = γ x̂ + β
                const float xh = (x[i] - mu) * inv_std;
                if (ctx.training) xhat_[i] = xh;
                y[i] = g * xh + b;
            }
    }
    if (ctx.training) *batches_ += 1;
}

void BatchNorm::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &) {
    const int C = channels(), S = spatial();
    const double m = double(n) * S;
    for (int c = 0; c < C; ++c) {
        double sum_dy = 0, sum_dy_xhat = 0;
        for (int s = 0; s < n; ++s)
            for (int p = 0; p < S; ++p) {
                const size_t i = (size_t(s) * C + c) * S + p;
                sum_dy += dy[i];
                sum_dy_xhat += double(dy[i]) * xhat_[i];
            }
        // dγ = Σ dy x̂;  dβ = Σ dy
        dgamma_[c] = float(sum_dy_xhat);
        dbeta_[c] = float(sum_dy);
        if (!dx) continue;
        // dx = γ / (m √(σ² + ε)) · (m dy - Σ dy - x̂ Σ dy x̂)
        const float k = float(gamma_[c] * inv_std_[c] / m), a = float(sum_dy), b = float(sum_dy_xhat), mf = float(m);
        for (int s = 0; s < n; ++s)
            for (int p = 0; p < S; ++p) {
                const size_t i = (size_t(s) * C + c) * S + p;
                dx[i] = k * (mf * dy[i] - a - xhat_[i] * b);
            }
    }
}

} // namespace liandan
