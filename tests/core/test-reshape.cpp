// Flatten and dropout: flatten moves bytes unchanged; dropout is the identity in evaluation and
// an inverted, seeded mask in training whose backward uses the same mask. Each has a gradient
// check (of its input gradient: neither has parameters) and a save/load round trip of a model
// that contains it.
#include "helpers.h"
#include "nn/reshape.h"

using namespace liandan;

namespace {
LayerSpec drop(double rate) {
    LayerSpec l;
    l.type = LayerType::dropout;
    l.rate = rate;
    return l;
}
LayerSpec flatten() {
    LayerSpec l;
    l.type = LayerType::flatten;
    return l;
}
LayerSpec conv(int filters, int kernel) {
    LayerSpec l;
    l.type = LayerType::conv2d, l.filters = filters, l.kernel = kernel, l.stride = 1;
    return l;
}
std::vector<float> uniform(size_t n, uint64_t seed) {
    Rng rng(seed);
    std::vector<float> v(n);
    for (float &x : v) x = float(rng.uniform(-1, 1));
    return v;
}
} // namespace

TEST(flatten, keeps_the_values_in_chw_order) {
    LayerSpec f;
    f.type = LayerType::flatten;
    auto m = test::make_model({2, 2, 2}, {f});
    std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8};
    const float *y = m->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(y, y + 8), x);
    EXPECT_EQ(m->n_outputs(), 8);
}

TEST(flatten, gradient_check) {
    Flatten f({2, 3, 2});
    RunContext ctx;
    EXPECT_LT(test::max_input_gradient_error(f, uniform(3 * 12, 1), 3, ctx), 1e-3);
}

TEST(flatten, save_load_round_trip) {
    test::expect_save_load_round_trip({2, 4, 4}, {conv(3, 3), flatten(), test::dense(2, Activation::tanh), test::dense(1)},
                                      uniform(4 * 32, 2), 4, "flatten.safetensors");
}

TEST(dropout, identity_in_evaluation_inverted_mask_in_training) {
    auto m = test::make_model({1000, 1, 1}, {drop(0.25)}, 1);
    std::vector<float> x(1000, 2.0f);
    const float *e = m->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(e, e + 1000), x);
    const float *t = m->forward(x.data(), 1, true);
    int zeros = 0;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(t[i] == 0.0f || std::abs(t[i] - 2.0f / 0.75f) < 1e-6) << t[i];
        zeros += t[i] == 0.0f;
    }
    EXPECT_GT(zeros, 200);
    EXPECT_LT(zeros, 300);
}

TEST(dropout, backward_uses_the_forward_mask) {
    LayerSpec d = drop(0.5);
    auto m = test::make_model({6, 1, 1}, {d, test::dense(1)}, 1);
    std::fill(m->params().begin(), m->params().end(), 1.0f);
    std::vector<float> x = {1, 1, 1, 1, 1, 1}, dy = {1};
    const float *dropped = nullptr;
    m->forward(x.data(), 1, true);
    dropped = m->body().output(0);
    std::vector<float> kept(dropped, dropped + 6);
    m->backward(x.data(), dy.data(), 1);
    for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(m->grads()[i], kept[i]); // dW = dropped input
}

TEST(dropout, rate_zero_is_the_identity_in_training_too) {
    auto m = test::make_model({5, 1, 1}, {drop(0)}, 2);
    std::vector<float> x = uniform(10, 3);
    const float *y = m->forward(x.data(), 2, true);
    EXPECT_EQ(std::vector<float>(y, y + 10), x);
}

TEST(dropout, gradient_check) {
    // Each forward re-seeds the generator, so every forward of the difference quotient draws the
    // same mask: y = x ⊙ mask, whose input gradient backward must give.
    Dropout d({12, 1, 1}, 0.4);
    d.allocate({4, 4, 1});
    Rng rng(1);
    RunContext ctx;
    ctx.training = true;
    ctx.rng = &rng;
    EXPECT_LT(test::max_input_gradient_error(d, uniform(4 * 12, 4), 4, ctx, [&] { rng = Rng(9); }), 1e-3);
}

TEST(dropout, save_load_round_trip) {
    // Training outputs match too: the masks come from the run's seed, not from the file.
    test::expect_save_load_round_trip({3, 1, 1}, {test::dense(16, Activation::relu), drop(0.3), test::dense(1)}, uniform(4 * 3, 5), 4,
                                      "dropout.safetensors");
}
