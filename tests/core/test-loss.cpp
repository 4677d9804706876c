// Losses against hand-computed values, and stability on extreme logits.
#include <cmath>

#include "helpers.h"

using namespace liandan;

TEST(loss, mse_by_hand) {
    std::vector<float> out = {1, 2, 3, 4}, target = {0, 2, 5, 4}, d(4);
    // mean of (1, 0, 4, 0) = 1.25; d = 2 (out - t) / 4
    EXPECT_DOUBLE_EQ(loss_forward(LossType::mse, out.data(), target.data(), 2, 2, d.data()), 1.25);
    EXPECT_FLOAT_EQ(d[0], 0.5f);
    EXPECT_FLOAT_EQ(d[2], -1.0f);
}

TEST(loss, bce_by_hand_and_stable) {
    std::vector<float> out = {0, 100, -100}, target = {1, 1, 1}, d(3);
    double l = loss_forward(LossType::bce, out.data(), target.data(), 3, 1, d.data());
    // log 2 + ~0 + 100, over 3; no overflow at ±100.
    EXPECT_NEAR(l, (std::log(2.0) + 0 + 100) / 3, 1e-5);
    EXPECT_NEAR(d[0], -0.5f / 3, 1e-7);
    EXPECT_TRUE(std::isfinite(d[2]));
}

TEST(loss, cross_entropy_by_hand) {
    std::vector<float> out = {1, 2, 3}, target = {2}, d(3);
    double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    EXPECT_NEAR(loss_forward(LossType::cross_entropy, out.data(), target.data(), 1, 3, d.data()), lse - 3, 1e-6);
    EXPECT_NEAR(d[0] + d[1] + d[2], 0.0, 1e-6); // softmax - onehot sums to 0
}

TEST(loss, accuracy_counts) {
    std::vector<float> out = {2, -1, 0.5f}, target = {1, 0, 0};
    EXPECT_EQ(count_correct(LossType::bce, out.data(), target.data(), 3, 1), 2);
}
