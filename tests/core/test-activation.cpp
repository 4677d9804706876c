// Activations: values at known points, softmax by hand, and a gradient check of each.
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
