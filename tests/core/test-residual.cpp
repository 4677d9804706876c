// Residual blocks: y = x + body(x) by hand, gradient check, nested names, shape refusal.
#include "helpers.h"

using namespace liandan;
using test::dense;

namespace {
LayerSpec residual(std::vector<LayerSpec> body, Activation a = Activation::linear) {
    LayerSpec l;
    l.type = LayerType::residual;
    l.layers = std::move(body);
    l.activation = a;
    return l;
}
} // namespace

TEST(residual, forward_by_hand) {
    auto m = test::make_model({2, 1, 1}, {residual({dense(2)})});
    std::fill(m->params().begin(), m->params().end(), 0.0f);
    m->params()[4] = 1.0f, m->params()[5] = 2.0f; // body: W = 0, b = [1, 2]
    std::vector<float> x = {3, 4};
    const float *y = m->forward(x.data(), 1, false);
    EXPECT_FLOAT_EQ(y[0], 4.0f);
    EXPECT_FLOAT_EQ(y[1], 6.0f);
    EXPECT_EQ(m->param_views()[0].name, "layers.0.layers.0.weight");
}

TEST(residual, gradient_check) {
    auto m = test::make_model({3, 1, 1}, {dense(4, Activation::tanh), residual({dense(4, Activation::relu), dense(4)}, Activation::tanh), dense(1)}, 4);
    m->init({InitScheme::he, 6});
    Rng rng(2);
    std::vector<float> x(12), t(4);
    for (float &v : x) v = float(rng.uniform(-1, 1));
    for (float &v : t) v = float(rng.uniform(-1, 1));
    EXPECT_LT(test::max_gradient_error(*m, LossType::mse, x, t, 4), 5e-3);
}

TEST(residual, block_must_keep_the_shape) {
    ModelSpec spec;
    spec.layers = {residual({dense(3)}), dense(1)};
    try {
        Model m(spec, {2, 1, 1});
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "model.layers[0]: the block's layers turn [2] into [3]; a residual block must give back its input's shape");
    }
}

TEST(residual, save_load_round_trip) {
    // Nested names (layers.1.layers.0.weight) and a batchnorm's buffers inside the block.
    LayerSpec norm;
    norm.type = LayerType::batchnorm;
    std::vector<LayerSpec> layers = {dense(4, Activation::tanh), residual({dense(4, Activation::relu), norm, dense(4)}, Activation::tanh),
                                     dense(1)};
    Rng rng(4);
    std::vector<float> x(6 * 3);
    for (float &v : x) v = float(rng.uniform(-1, 1));
    test::expect_save_load_round_trip({3, 1, 1}, layers, x, 6, "residual.safetensors");
    auto m = test::make_model({3, 1, 1}, layers);
    std::vector<std::string> names;
    for (auto &v : m->param_views()) names.push_back(v.name);
    EXPECT_EQ(names, (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.1.layers.0.weight", "layers.1.layers.0.bias",
                                               "layers.1.layers.1.weight", "layers.1.layers.1.bias", "layers.1.layers.1.running_mean",
                                               "layers.1.layers.1.running_var", "layers.1.layers.1.num_batches_tracked",
                                               "layers.1.layers.2.weight", "layers.1.layers.2.bias", "layers.2.weight", "layers.2.bias"}));
}
