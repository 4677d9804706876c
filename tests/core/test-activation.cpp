// Activations: values at known points, each layer's forward against the formula in double, softmax
// by hand, a gradient check of each (through a network and of the input gradient), and a save/load
// round trip of a model with every activation.
#include "helpers.h"
#include "nn/activation.h"

using namespace liandan;
using test::dense;

TEST(activation, known_values) {
    EXPECT_FLOAT_EQ(activate(Activation::relu, -2), 0);
    EXPECT_FLOAT_EQ(activate(Activation::relu, 3), 3);
    EXPECT_FLOAT_EQ(activate(Activation::leaky_relu, -2), -0.02f);
    EXPECT_FLOAT_EQ(activate(Activation::sigmoid, 0), 0.5f);
    EXPECT_FLOAT_EQ(activate(Activation::tanh, 0), 0);
    EXPECT_NEAR(activate(Activation::elu, -1), std::exp(-1.0f) - 1, 1e-7);
    EXPECT_NEAR(activate(Activation::gelu, 1), 0.8413447f, 1e-6); // x·Φ(x) at 1
}

namespace {
const Activation k_all[] = {Activation::linear, Activation::relu,    Activation::leaky_relu, Activation::elu,
                            Activation::gelu,   Activation::sigmoid, Activation::tanh,       Activation::softmax};

// The activations' formulas (PyTorch's defaults, docs/spec.md), in double.
double reference(Activation a, double x) {
    switch (a) {
    case Activation::linear: return x;
    case Activation::relu: return x > 0 ? x : 0;
    case Activation::leaky_relu: return x > 0 ? x : 0.01 * x;
    case Activation::elu: return x > 0 ? x : std::exp(x) - 1;
    case Activation::gelu: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::sigmoid: return 1 / (1 + std::exp(-x));
    case Activation::tanh: return std::tanh(x);
    case Activation::softmax: break;
    }
    return 0;
}
} // namespace

TEST(activation, layer_forward_matches_the_formula) {
    // The layers take vectorized paths (Eigen's tanh and logistic) that activate() does not: check
    // what a model runs, on both sides of 0 and far out where sigmoid and tanh saturate.
    const std::vector<float> x = {-9, -2, -0.5f, -1e-3f, 0, 1e-3f, 0.5f, 2, 9, 0.25f, -3.5f, 1.5f};
    const int F = int(x.size());
    for (Activation a : k_all) {
        SCOPED_TRACE(activation_name(a));
        ActivationLayer layer(a, {F, 1, 1});
        std::vector<float> y(F);
        RunContext ctx;
        layer.forward(x.data(), y.data(), 1, ctx);
        double sum = 0, worst = 0;
        for (float v : x) sum += std::exp(double(v) - 9);
        for (int i = 0; i < F; ++i) {
            const double want = a == Activation::softmax ? std::exp(double(x[i]) - 9) / sum : reference(a, x[i]);
            worst = std::max(worst, std::abs(y[i] - want));
            EXPECT_NEAR(y[i], want, 1e-6 * std::max(1.0, std::abs(want))) << "at x = " << x[i];
        }
        std::printf("  %-10s largest difference from the formula: %.3g\n", activation_name(a), worst);
    }
}

TEST(activation, input_gradient_check_each) {
    Rng rng(6);
    std::vector<float> x(3 * 7);
    for (float &v : x) { // away from the kink at 0, where the difference quotient is undefined
        v = float(rng.uniform(0.05, 2.5));
        if (rng.next_u32() & 1) v = -v;
    }
    for (Activation a : k_all) {
        SCOPED_TRACE(activation_name(a));
        ActivationLayer layer(a, {7, 1, 1});
        RunContext ctx;
        EXPECT_LT(test::max_input_gradient_error(layer, x, 3, ctx), 2e-3);
    }
}

TEST(activation, save_load_round_trip) {
    std::vector<LayerSpec> layers;
    for (Activation a : k_all) layers.push_back(dense(5, a));
    layers.push_back(dense(1));
    Rng rng(7);
    std::vector<float> x(4 * 3);
    for (float &v : x) v = float(rng.uniform(-2, 2));
    test::expect_save_load_round_trip({3, 1, 1}, layers, x, 4, "activation.safetensors");
}

TEST(activation, softmax_forward_by_hand) {
    auto model = test::make_model({3, 1, 1}, {dense(3, Activation::softmax)});
    std::fill(model->params().begin(), model->params().end(), 0.0f);
    for (int i = 0; i < 3; ++i) model->params()[i * 3 + i] = 1.0f; // W = I, b = 0
    std::vector<float> x = {1, 2, 3};
    const float *y = model->forward(x.data(), 1, false);
    const double denom = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(y[i], std::exp(double(i + 1)) / denom, 1e-6);
}

TEST(activation, gradient_check_each) {
    for (Activation a : {Activation::relu, Activation::leaky_relu, Activation::elu, Activation::gelu, Activation::sigmoid,
                         Activation::tanh, Activation::linear, Activation::softmax}) {
        SCOPED_TRACE(activation_name(a));
        auto model = test::make_model({2, 1, 1}, {dense(6, a), dense(1)}, 4);
        model->init({InitScheme::xavier, 5});
        // Inputs chosen away from relu's kink at 0, where the numeric derivative is undefined.
        std::vector<float> x = {0.7f, -1.3f, 1.9f, 0.4f, -0.8f, -1.6f, 1.1f, 2.2f};
        std::vector<float> target = {0.3f, -0.5f, 1.0f, 0.0f};
        EXPECT_LT(test::max_gradient_error(*model, LossType::mse, x, target, 4), 5e-3);
    }
}
