// Dense layer: gradient check, a forward pass with constant weights against a hand computation,
// and a save/load round trip of its parameters.
#include <cstdio>

#include "helpers.h"
#include "io/safetensors.h"

using namespace liandan;
using test::dense;

TEST(dense, gradient_check) {
    auto model = test::make_model({3, 1, 1}, {dense(5, Activation::tanh), dense(1)});
    model->init({InitScheme::xavier, 7});
    std::vector<float> x = {0.5f, -1.0f, 2.0f, 0.1f, 0.2f, -0.3f, 1.5f, -0.5f, 0.0f, -2.0f, 1.0f, 0.7f}; // [4, 3]
    std::vector<float> target = {0.1f, -0.2f, 0.5f, 0.0f};                                              // [4]
    EXPECT_LT(test::max_gradient_error(*model, LossType::mse, x, target, 4), 2e-3);
}

TEST(dense, gradient_check_bce) {
    auto model = test::make_model({2, 1, 1}, {dense(4, Activation::relu), dense(4, Activation::sigmoid), dense(1)});
    model->init({InitScheme::he, 3});
    std::vector<float> x = {0.5f, -1.0f, 2.0f, 0.1f, -0.3f, 1.5f};
    std::vector<float> target = {1, 0, 1};
    EXPECT_LT(test::max_gradient_error(*model, LossType::bce, x, target, 3), 2e-3);
}

TEST(dense, forward_constant_weights) {
    // W = all 0.5, b = 0.25: y_o = 0.5 · Σ x + 0.25 for every output.
    auto model = test::make_model({3, 1, 1}, {dense(2)});
    std::fill(model->params().begin(), model->params().end(), 0.5f);
    model->params()[6] = model->params()[7] = 0.25f; // bias follows the [2, 3] weight
    std::vector<float> x = {1, 2, 3, -1, 0, 4};
    const float *y = model->forward(x.data(), 2, false);
    EXPECT_FLOAT_EQ(y[0], 3.25f);
    EXPECT_FLOAT_EQ(y[1], 3.25f);
    EXPECT_FLOAT_EQ(y[2], 1.75f);
    EXPECT_FLOAT_EQ(y[3], 1.75f);
}

TEST(dense, backward_by_hand) {
    // One sample x = [1, 2], W = I, dy = [1, -1]: dW = dyᵀ·x, db = dy.
    auto model = test::make_model({2, 1, 1}, {dense(2)});
    std::vector<float> w = {1, 0, 0, 1, 0, 0};
    std::copy(w.begin(), w.end(), model->params().begin());
    std::vector<float> x = {1, 2}, dy = {1, -1};
    model->forward(x.data(), 1, true);
    model->backward(x.data(), dy.data(), 1);
    std::vector<float> expected = {1, 2, -1, -2, 1, -1};
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_FLOAT_EQ(model->grads()[i], expected[i]) << "grad " << i;
}

TEST(dense, save_load_round_trip) {
    auto a = test::make_model({2, 1, 1}, {dense(3, Activation::tanh), dense(1)});
    a->init({InitScheme::xavier, 11});
    std::string path = liandan::test::temp_folder() + "dense-roundtrip.safetensors";
    save_safetensors(*a, path);
    auto b = test::make_model({2, 1, 1}, {dense(3, Activation::tanh), dense(1)});
    load_safetensors(*b, path);
    for (size_t i = 0; i < a->params().size(); ++i) EXPECT_EQ(a->params()[i], b->params()[i]);
    std::remove(path.c_str());
}

TEST(dense, param_shares_cover_every_parameter_once) {
    // The optimizer's split: each thread's ranges, together, are the whole buffer exactly once.
    auto m = test::make_model({3, 1, 1}, {test::dense(130, Activation::relu), test::dense(7), test::dense(1)});
    for (int threads : {1, 2, 3}) {
        std::vector<int> owners(m->params().size(), 0);
        for (const auto &mine : m->param_shares(threads))
            for (auto [begin, end] : mine)
                for (size_t i = begin; i < end; ++i) ++owners[i];
        EXPECT_TRUE(std::all_of(owners.begin(), owners.end(), [](int n) { return n == 1; })) << threads << " threads";
    }
}
