// Shared test helpers: a finite-difference gradient check over a Model, and small spec builders.
#pragma once
#include <cmath>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "loss/loss.h"
#include "nn/model.h"
#include "spec.h"

namespace liandan::test {

// Compares d loss / d params from backward() with central differences (in double for the
// difference quotient). Returns the largest relative error, printed for the record.
inline double max_gradient_error(Model &model, LossType loss, const std::vector<float> &x, const std::vector<float> &target,
                                 int n) {
    const int O = model.n_outputs();
    std::vector<float> dout(size_t(n) * O);
    const float *out = model.forward(x.data(), n);
    loss_forward(loss, out, target.data(), n, O, dout.data());
    model.backward(x.data(), dout.data(), n);
    std::vector<float> analytic(model.grads().begin(), model.grads().end());

    double worst = 0;
    const float eps = 1e-3f;
    for (size_t i = 0; i < model.params().size(); ++i) {
        float saved = model.params()[i];
        model.params()[i] = saved + eps;
        double plus = loss_forward(loss, model.forward(x.data(), n), target.data(), n, O, nullptr);
        model.params()[i] = saved - eps;
        double minus = loss_forward(loss, model.forward(x.data(), n), target.data(), n, O, nullptr);
        model.params()[i] = saved;
        double numeric = (plus - minus) / (2.0 * eps);
        double err = std::abs(numeric - analytic[i]) / std::max(1e-2, std::abs(numeric) + std::abs(double(analytic[i])));
        worst = std::max(worst, err);
    }
    std::printf("  largest relative gradient error: %.3g\n", worst);
    return worst;
}

// A spec for a small, quick toy run.
inline Spec small_spec(const std::string &shape = "spiral", int epochs = 5) {
    Spec s = default_spec();
    s.data.toy.shape = shape;
    s.data.toy.n = 200;
    s.train.epochs = epochs;
    return s;
}

} // namespace liandan::test
