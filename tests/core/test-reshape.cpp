// Flatten and dropout: flatten moves bytes unchanged; dropout is the identity in evaluation and
// an inverted, seeded mask in training whose backward uses the same mask.
#include "helpers.h"

using namespace liandan;

namespace {
LayerSpec drop(double rate) {
    LayerSpec l;
    l.type = LayerType::dropout;
    l.rate = rate;
    return l;
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
