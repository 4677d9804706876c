// Shared test helpers: a finite-difference gradient check over a Model, and small spec builders.
#pragma once
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/safetensors.h"
#include "loss/loss.h"
#include "nn/layer.h"
#include "nn/model.h"
#include "spec.h"
#include "util/error.h"
#include "util/rng.h"

namespace liandan::test {

// A folder of this test process's own, removed when it ends: ctest runs tests in parallel, and two
// writing one file of the same name read each other's.
inline const std::string &temp_folder() {
    struct Folder {
        // The clock too: in wasm every process's pid is 42.
        std::string path = ::testing::TempDir() + "liandan-test-" + std::to_string(::getpid()) + "-" +
                           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "/";
        Folder() { std::filesystem::create_directories(path); }
        ~Folder() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    };
    static const Folder folder;
    return folder.path;
}

// Writes bytes to a file in the test's temporary folder; returns its path.
inline std::string write_temp_file(const std::string &name, const std::string &bytes) {
    std::string path = temp_folder() + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

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

// Checks one layer's input gradient: L = Σ r ⊙ layer(x) with fixed random r, so dy = r, and backward's
// dx is compared with central differences of L in x. before_forward() runs before every forward
// (dropout re-seeds its generator there, so every forward draws the same mask). The layer must be
// allocated for n samples. Returns the largest relative error, printed for the record.
inline double max_input_gradient_error(Layer &layer, std::vector<float> x, int n, RunContext &ctx,
                                       const std::function<void()> &before_forward = [] {}) {
    const size_t I = size_t(layer.in_size()), O = size_t(layer.out_size());
    std::vector<float> y(n * O), r(n * O), dx(n * I);
    Rng rng(77);
    for (float &v : r) v = float(rng.uniform(-1, 1));
    auto loss = [&] {
        before_forward();
        layer.forward(x.data(), y.data(), n, ctx);
        double sum = 0;
        for (size_t i = 0; i < y.size(); ++i) sum += double(r[i]) * y[i];
        return sum;
    };
    loss();
    layer.backward(x.data(), y.data(), r.data(), dx.data(), n, ctx);
    double largest = 0, worst = 0;
    for (float g : dx) largest = std::max(largest, double(std::abs(g)));
    const double floor = std::max(1e-3, 0.05 * largest);
    const float eps = 1e-3f;
    for (size_t i = 0; i < x.size(); ++i) {
        const float saved = x[i];
        x[i] = saved + eps;
        const double plus = loss();
        x[i] = saved - eps;
        const double minus = loss();
        x[i] = saved;
        const double numeric = (plus - minus) / (2.0 * eps);
        worst = std::max(worst, std::abs(numeric - dx[i]) / std::max(floor, std::abs(numeric) + std::abs(double(dx[i]))));
    }
    std::printf("  largest relative input-gradient error: %.3g\n", worst);
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

// The largest |a - b| over two equally long float ranges (0 when they are bit for bit equal).
inline double max_abs_difference(const float *a, const float *b, size_t count) {
    double worst = 0;
    for (size_t i = 0; i < count; ++i) worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
    return worst;
}

// Save/load round trip of a model built from `layers` (docs/design.md, "Habits of the code"; for parameter-free layers it is the
// round trip of a model that contains them): model a is initialized and moved by one training forward
// (batchnorm statistics); its file is loaded into a fresh model b, initialized otherwise, which must then
// hold the same parameters and state and give the same outputs bit for bit, in evaluation and in
// training (dropout masks: both models draw from generators seeded alike and at the same place).
inline void expect_save_load_round_trip(Shape in, const std::vector<LayerSpec> &layers, const std::vector<float> &x, int n,
                                        const std::string &file) {
    auto a = make_model(in, layers, n), b = make_model(in, layers, n);
    a->init({InitScheme::he, 21});
    b->init({InitScheme::xavier, 22});
    a->forward(x.data(), n, true);
    b->forward(x.data(), n, true); // the same draws of the dropout generator as a's
    const std::string path = ::testing::TempDir() + file;
    save_safetensors(*a, path);
    load_safetensors(*b, path);
    std::remove(path.c_str());
    ASSERT_EQ(a->params().size(), b->params().size());
    // memcmp of empty buffers would pass null pointers (a model without parameters or state).
    auto same_bits = [](std::span<const float> u, std::span<const float> v) {
        return u.empty() || std::memcmp(u.data(), v.data(), u.size_bytes()) == 0;
    };
    EXPECT_TRUE(same_bits(a->params(), b->params())) << "parameters differ";
    ASSERT_EQ(a->state().size(), b->state().size());
    EXPECT_TRUE(same_bits(a->state(), b->state())) << "state differs";
    const size_t count = size_t(n) * a->n_outputs();
    for (bool training : {false, true}) {
        const float *ya = a->forward(x.data(), n, training);
        std::vector<float> copy(ya, ya + count);
        const float *yb = b->forward(x.data(), n, training);
        EXPECT_EQ(std::memcmp(copy.data(), yb, count * sizeof(float)), 0)
            << (training ? "training" : "evaluation") << " outputs differ by up to " << max_abs_difference(copy.data(), yb, count);
    }
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
