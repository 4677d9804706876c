// Loss values and gradients. Accumulation in double keeps the mean exact enough for large N.
#include "loss/loss.h"

#include <algorithm>
#include <cmath>

namespace liandan {

double loss_forward(LossType type, const float *out, const float *target, int n, int o, float *dout,
                    std::span<const float> weights) {
    double sum = 0;
    auto weight = [&](float t) { return weights.empty() ? 1.0f : weights[size_t(t)]; };
    switch (type) {
    case LossType::mse: {
        // L = 1/(N·O) Σ (out - t)²; dL/dout = 2 (out - t) / (N·O)
        const float scale = 2.0f / float(size_t(n) * o);
        for (int r = 0; r < n; ++r)
            for (int j = 0; j < o; ++j) {
                const size_t i = size_t(r) * o + j;
                float d = out[i] - target[r];
                sum += double(d) * d;
                if (dout) dout[i] = scale * d;
            }
        return sum / double(size_t(n) * o);
    }
    case LossType::bce: {
        // L = 1/N Σ w_t (max(z, 0) - z·t + log(1 + e^-|z|)); dL/dz = w_t (σ(z) - t) / N
        const float scale = 1.0f / float(n);
        for (int r = 0; r < n; ++r) {
            const float z = out[r], t = target[r], w = weight(t);
            sum += w * (std::max(z, 0.0f) - z * t + std::log1p(std::exp(-std::abs(z))));
            if (dout) dout[r] = scale * w * (1.0f / (1.0f + std::exp(-z)) - t);
        }
        return sum / n;
    }
    case LossType::cross_entropy: {
        // L = Σ w_t (logsumexp(z) - z_t) / Σ w_t; dL/dz = w_t (softmax(z) - onehot(t)) / Σ w_t
        double total_weight = 0;
        for (int r = 0; r < n; ++r) total_weight += weight(target[r]);
        const double norm = total_weight > 0 ? total_weight : 1.0;
        for (int r = 0; r < n; ++r) {
            const float *z = out + size_t(r) * o;
            const int t = static_cast<int>(target[r]);
            const float w = weight(target[r]);
            const float zmax = *std::max_element(z, z + o);
            double denom = 0;
            for (int c = 0; c < o; ++c) denom += std::exp(double(z[c] - zmax));
            sum += w * (std::log(denom) + zmax - z[t]);
            if (dout) {
                const float scale = float(w / norm);
                for (int c = 0; c < o; ++c)
                    dout[size_t(r) * o + c] = scale * (float(std::exp(double(z[c] - zmax)) / denom) - (c == t ? 1.0f : 0.0f));
            }
        }
        return sum / norm;
    }
    }
    return sum;
}

int predicted_class(LossType type, const float *z, int o) {
    if (type == LossType::cross_entropy) return int(std::max_element(z, z + o) - z);
    if (type == LossType::bce) return z[0] > 0 ? 1 : 0;
    return z[0] > 0.5f ? 1 : 0;
}

float output_value(LossType type, const float *out_row, int o) {
    if (type == LossType::bce) return 1.0f / (1.0f + std::exp(-out_row[0]));
    if (type == LossType::cross_entropy) return float(std::max_element(out_row, out_row + o) - out_row);
    return out_row[0];
}

void class_probabilities(LossType type, const float *out_row, int o, int k, float *p) {
    if (type == LossType::cross_entropy && o == k) {
        const float top = *std::max_element(out_row, out_row + o);
        double sum = 0;
        for (int c = 0; c < k; ++c) sum += p[c] = std::exp(out_row[c] - top);
        for (int c = 0; c < k; ++c) p[c] = float(p[c] / sum);
        return;
    }
    std::fill_n(p, k, 0.0f);
    if (k < 2) return;
    const float one = type == LossType::bce ? 1.0f / (1.0f + std::exp(-out_row[0])) : std::clamp(out_row[0], 0.0f, 1.0f);
    p[1] = one;
    p[0] = 1.0f - one;
}

} // namespace liandan
