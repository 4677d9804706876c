// Loss values and gradients. Accumulation in double keeps the mean exact enough for large N.
#include "loss/loss.h"

#include <algorithm>
#include <cmath>

namespace liandan {

double loss_forward(LossType type, const float *out, const float *target, int n, int o, float *dout) {
    double sum = 0;
    switch (type) {
    case LossType::mse: {
        // L = 1/(N·O) Σ (out - t)²; dL/dout = 2 (out - t) / (N·O)
        const float scale = 2.0f / float(size_t(n) * o);
        for (size_t i = 0; i < size_t(n) * o; ++i) {
            float d = out[i] - target[i];
            sum += double(d) * d;
            if (dout) dout[i] = scale * d;
        }
        return sum / double(size_t(n) * o);
    }
    case LossType::bce: {
        // L = 1/(N·O) Σ max(z, 0) - z·t + log(1 + e^-|z|); dL/dz = (σ(z) - t) / (N·O)
        const float scale = 1.0f / float(size_t(n) * o);
        for (size_t i = 0; i < size_t(n) * o; ++i) {
            float z = out[i], t = target[i];
            sum += std::max(z, 0.0f) - z * t + std::log1p(std::exp(-std::abs(z)));
            if (dout) dout[i] = scale * (1.0f / (1.0f + std::exp(-z)) - t);
        }
        return sum / double(size_t(n) * o);
    }
    case LossType::cross_entropy: {
        // L = 1/N Σ logsumexp(z) - z_t; dL/dz = (softmax(z) - onehot(t)) / N
        const float scale = 1.0f / float(n);
        for (int r = 0; r < n; ++r) {
            const float *z = out + size_t(r) * o;
            int t = static_cast<int>(target[r]);
            float zmax = *std::max_element(z, z + o);
            double denom = 0;
            for (int c = 0; c < o; ++c) denom += std::exp(double(z[c] - zmax));
            sum += std::log(denom) + zmax - z[t];
            if (dout)
                for (int c = 0; c < o; ++c)
                    dout[size_t(r) * o + c] = scale * (float(std::exp(double(z[c] - zmax)) / denom) - (c == t ? 1.0f : 0.0f));
        }
        return sum / n;
    }
    }
    return sum;
}

int count_correct(LossType type, const float *out, const float *target, int n, int o) {
    int correct = 0;
    for (int r = 0; r < n; ++r) {
        const float *z = out + size_t(r) * o;
        int predicted = 0;
        if (type == LossType::cross_entropy) predicted = int(std::max_element(z, z + o) - z);
        else if (type == LossType::bce) predicted = z[0] > 0 ? 1 : 0;
        else predicted = z[0] > 0.5f ? 1 : 0; // mse on 0/1 labels
        correct += predicted == static_cast<int>(target[r]);
    }
    return correct;
}

float output_value(LossType type, const float *out_row, int o) {
    if (type == LossType::bce) return 1.0f / (1.0f + std::exp(-out_row[0]));
    if (type == LossType::cross_entropy) return float(std::max_element(out_row, out_row + o) - out_row);
    return out_row[0];
}

} // namespace liandan
