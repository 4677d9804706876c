// Batchnorm: forward and running statistics by hand, gradient check (1d and 2d), save/load of
// its buffers (running statistics, num_batches_tracked as I64).
#include "helpers.h"
#include "io/safetensors.h"

using namespace liandan;
using test::dense;

namespace {
LayerSpec bn() {
    LayerSpec l;
    l.type = LayerType::batchnorm;
    return l;
}
} // namespace

TEST(batchnorm, forward_and_running_statistics_by_hand) {
    auto m = test::make_model({1, 1, 1}, {bn()});
    std::vector<float> x = {1, 3};
    const float *y = m->forward(x.data(), 2, true);
    const float s = float(1.0 / std::sqrt(1.0 + 1e-5)); // mean 2, biased var 1
    EXPECT_FLOAT_EQ(y[0], -s);
    EXPECT_FLOAT_EQ(y[1], s);
    // running_mean = 0.9·0 + 0.1·2; running_var = 0.9·1 + 0.1·2 (unbiased var of {1, 3})
    EXPECT_FLOAT_EQ(m->state()[0], 0.2f);
    EXPECT_FLOAT_EQ(m->state()[1], 1.1f);
    EXPECT_FLOAT_EQ(m->state()[2], 1.0f); // num_batches_tracked
    // Evaluation uses the running statistics.
    const float *e = m->forward(x.data(), 2, false);
    EXPECT_NEAR(e[0], (1 - 0.2) / std::sqrt(1.1 + 1e-5), 1e-6);
}

TEST(batchnorm, gradient_check_1d_and_2d) {
    LayerSpec norm = bn();
    norm.activation = Activation::tanh;
    auto m1 = test::make_model({3, 1, 1}, {dense(4), norm, dense(1)}, 6);
    m1->init({InitScheme::xavier, 2});
    Rng rng(5);
    std::vector<float> x(18), t(6);
    for (float &v : x) v = float(rng.uniform(-2, 2));
    for (float &v : t) v = float(rng.uniform(-1, 1));
    EXPECT_LT(test::max_gradient_error(*m1, LossType::mse, x, t, 6), 5e-3);

    LayerSpec conv;
    conv.type = LayerType::conv2d, conv.filters = 2, conv.kernel = 2, conv.stride = 1;
    LayerSpec flat;
    flat.type = LayerType::flatten;
    auto m2 = test::make_model({1, 3, 3}, {conv, norm, flat, dense(1)}, 4);
    m2->init({InitScheme::xavier, 3});
    std::vector<float> x2(36), t2(4);
    for (float &v : x2) v = float(rng.uniform(-2, 2));
    for (float &v : t2) v = float(rng.uniform(-1, 1));
    EXPECT_LT(test::max_gradient_error(*m2, LossType::mse, x2, t2, 4), 5e-3);
}

TEST(batchnorm, save_load_round_trip_with_buffers) {
    auto a = test::make_model({2, 1, 1}, {dense(3), bn(), dense(1)});
    a->init({InitScheme::xavier, 1});
    std::vector<float> x = {1, 2, 3, 4, -1, 0};
    a->forward(x.data(), 3, true); // moves the running statistics off their start
    std::string path = liandan::test::temp_folder() + "bn.safetensors";
    save_safetensors(*a, path);
    auto b = test::make_model({2, 1, 1}, {dense(3), bn(), dense(1)});
    load_safetensors(*b, path);
    EXPECT_TRUE(std::equal(a->params().begin(), a->params().end(), b->params().begin()));
    EXPECT_TRUE(std::equal(a->state().begin(), a->state().end(), b->state().begin()));
    std::vector<std::string> names;
    for (auto &v : a->param_views()) names.push_back(v.name);
    EXPECT_EQ(names, (std::vector<std::string>{"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                                               "layers.1.running_mean", "layers.1.running_var", "layers.1.num_batches_tracked",
                                               "layers.2.weight", "layers.2.bias"}));
}
