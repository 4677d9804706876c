// Shared test helpers: a finite-difference gradient check over a Model, and small spec builders.
#pragma once
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "loss/loss.h"
#include "nn/model.h"
#include "spec.h"
#include "util/error.h"
#include "util/rng.h"

namespace liandan::test {

// Compares d loss / d params from backward() with central differences (in double for the
// difference quotient). Returns the largest relative error, printed for the record. target: [N]
// class indices or values, as the losses take them.
inline double max_gradient_error(Model &model, LossType loss, const std::vector<float> &x, const std::vector<float> &target,
                                 int n) {
    const int O = model.n_outputs();
    std::vector<float> dout(size_t(n) * O);
    const float *out = model.forward(x.data(), n, true);
    loss_forward(loss, out, target.data(), n, O, dout.data());
    model.backward(x.data(), dout.data(), n);
    std::vector<float> analytic(model.grads().begin(), model.grads().end());

    // Float forwards make the difference quotient noisy by ~1e-4 in absolute terms, so gradients far
    // below the largest one are compared against a floor of 5% of it instead of their own size.
    double largest = 0;
    for (float g : analytic) largest = std::max(largest, double(std::abs(g)));
    const double floor = std::max(1e-3, 0.05 * largest);
    double worst = 0;
    const float eps = 1e-3f;
    for (size_t i = 0; i < model.params().size(); ++i) {
        float saved = model.params()[i];
        // Training-mode forwards (batchnorm uses batch statistics), as the analytic gradient does.
        model.params()[i] = saved + eps;
        double plus = loss_forward(loss, model.forward(x.data(), n, true), target.data(), n, O, nullptr);
        model.params()[i] = saved - eps;
        double minus = loss_forward(loss, model.forward(x.data(), n, true), target.data(), n, O, nullptr);
        model.params()[i] = saved;
        double numeric = (plus - minus) / (2.0 * eps);
        double err = std::abs(numeric - analytic[i]) / std::max(floor, std::abs(numeric) + std::abs(double(analytic[i])));
        worst = std::max(worst, err);
    }
    std::printf("  largest relative gradient error: %.3g\n", worst);
    return worst;
}

// A model from layer specs, built and allocated for `batch` samples.
inline std::unique_ptr<Model> make_model(Shape in, std::vector<LayerSpec> layers, int batch = 8) {
    ModelSpec m;
    m.layers = std::move(layers);
    return std::make_unique<Model>(m, in, batch);
}

inline LayerSpec dense(int units, Activation a = Activation::linear) {
    LayerSpec l;
    l.units = units;
    l.activation = a;
    return l;
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
