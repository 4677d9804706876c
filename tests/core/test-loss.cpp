// Losses against hand-computed values, class weights as PyTorch weighs them, stability.
#include <cmath>

#include "helpers.h"

using namespace liandan;

TEST(loss, mse_by_hand) {
    std::vector<float> out = {1, 3, 0, 4}, target = {0, 5}, d(4);
    // rows: (1-0)², (3-0)², (0-5)², (4-5)² -> mean over 4 values = (1 + 9 + 25 + 1) / 4
    EXPECT_DOUBLE_EQ(loss_forward(LossType::mse, out.data(), target.data(), 2, 2, d.data()), 9.0);
    EXPECT_FLOAT_EQ(d[0], 0.5f);
    EXPECT_FLOAT_EQ(d[2], -2.5f);
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

TEST(loss, class_weights_as_pytorch) {
    // cross_entropy: Σ w_t l_t / Σ w_t. Two samples of classes 0 and 1 with equal logits: l = log 2 each.
    std::vector<float> out = {0, 0, 0, 0}, target = {0, 1}, w = {1, 3};
    EXPECT_NEAR(loss_forward(LossType::cross_entropy, out.data(), target.data(), 2, 2, nullptr, w), std::log(2.0), 1e-7);
    std::vector<float> logits = {0, 0}, d(2);
    // bce: mean over N of w_t · l: (1·log 2 + 3·log 2) / 2
    EXPECT_NEAR(loss_forward(LossType::bce, logits.data(), target.data(), 2, 1, d.data(), w), 2 * std::log(2.0), 1e-7);
    EXPECT_NEAR(d[1], 3 * (0.5 - 1) / 2, 1e-7);
}

TEST(loss, predicted_classes) {
    std::vector<float> z = {2, -1, 0.5f};
    EXPECT_EQ(predicted_class(LossType::bce, &z[0], 1), 1);
    EXPECT_EQ(predicted_class(LossType::bce, &z[1], 1), 0);
    EXPECT_EQ(predicted_class(LossType::cross_entropy, z.data(), 3), 0);
}
