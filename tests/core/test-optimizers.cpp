// Optimizers and schedules with degenerate settings have exact answers (STYLE.md 17).
#include "helpers.h"
#include "optim/optimizer.h"

using namespace liandan;

namespace {
OptimizerSpec optimizer(OptimizerType t, double lr) {
    OptimizerSpec s;
    s.type = t;
    s.lr = lr;
    return s;
}
} // namespace

TEST(sgd, plain_step_is_exact) {
    auto opt = make_optimizer(optimizer(OptimizerType::sgd, 1.0), 3);
    std::vector<float> p = {1, 2, 3}, g = {0.5f, -1, 0};
    opt->step(p, g, 1.0);
    EXPECT_EQ(p, (std::vector<float>{0.5f, 3, 3}));
}

TEST(sgd, momentum_matches_pytorch_formula) {
    // b1 = g, p1 = p0 - lr b1; b2 = μ b1 + g, p2 = p1 - lr b2 (torch.optim.SGD, dampening 0).
    OptimizerSpec s = optimizer(OptimizerType::sgd, 0.5);
    s.momentum = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {1}, g = {1};
    opt->step(p, g, 0.5);
    EXPECT_FLOAT_EQ(p[0], 0.5f);
    opt->step(p, g, 0.5);
    EXPECT_FLOAT_EQ(p[0], 0.5f - 0.5f * 1.5f);
}

TEST(sgd, nesterov_and_weight_decay) {
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.momentum = 0.5;
    s.nesterov = true;
    s.weight_decay = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {2}, g = {1};
    opt->step(p, g, 1.0); // g' = 1 + 0.5·2 = 2; b = 2; step = g' + 0.5·b = 3
    EXPECT_EQ(p[0], -1.0f);
}

TEST(adam, betas_zero_lr_one_is_a_sign_step) {
    // β1 = β2 = 0: m = g, v = g², no bias correction: p -= g / (|g| + eps) = sign(g) in float.
    OptimizerSpec s = optimizer(OptimizerType::adam, 1.0);
    s.beta1 = 0, s.beta2 = 0;
    auto opt = make_optimizer(s, 2);
    std::vector<float> p = {3, 3}, g = {0.5f, -2};
    opt->step(p, g, 1.0);
    EXPECT_EQ(p, (std::vector<float>{2, 4}));
}

TEST(adam, first_step_matches_pytorch_with_defaults) {
    // Any β: after one step m̂ = g, v̂ = g², so p moves by lr·g/(|g| + eps) ≈ lr.
    auto opt = make_optimizer(optimizer(OptimizerType::adam, 0.001), 1);
    std::vector<float> p = {1}, g = {0.3f};
    opt->step(p, g, 0.001);
    EXPECT_NEAR(p[0], 0.999f, 1e-7);
}

TEST(adamw, decays_weights_decoupled) {
    OptimizerSpec s = optimizer(OptimizerType::adamw, 1.0);
    s.beta1 = 0, s.beta2 = 0, s.weight_decay = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {2}, g = {1};
    opt->step(p, g, 1.0); // p = 2·(1 - 1·0.5) = 1, then 1 - sign(1) = 0
    EXPECT_EQ(p[0], 0.0f);
}

TEST(rmsprop, alpha_zero_is_a_sign_step) {
    OptimizerSpec s = optimizer(OptimizerType::rmsprop, 1.0);
    s.alpha = 0;
    auto opt = make_optimizer(s, 2);
    std::vector<float> p = {1, 1}, g = {0.5f, -0.25f};
    opt->step(p, g, 1.0);
    EXPECT_EQ(p, (std::vector<float>{0, 2}));
}

TEST(schedule, step_exponential_cosine_warmup) {
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.schedule.type = ScheduleType::step, s.schedule.step_size = 2, s.schedule.gamma = 0.5;
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 1, 10), 1.0);
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 2, 10), 0.5);
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 5, 10), 0.25);
    s.schedule.type = ScheduleType::exponential;
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 3, 10), 0.125);
    s.schedule.type = ScheduleType::cosine, s.schedule.t_max = 4;
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 2, 10), 0.5, 1e-12);
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 4, 10), 0.0, 1e-12);
    s.schedule.type = ScheduleType::constant, s.schedule.warmup_steps = 4;
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 0, 10), 0.25);
    EXPECT_EQ(scheduled_lr(s, 1.0, 3, 0, 10), 1.0);
    EXPECT_EQ(scheduled_lr(s, 1.0, 9, 0, 10), 1.0);
}

TEST(clip, global_norm) {
    std::vector<float> g = {3, 4};
    EXPECT_DOUBLE_EQ(clip_grad_norm(g, 1.0), 5.0);
    EXPECT_NEAR(g[0], 0.6f, 1e-6);
    EXPECT_NEAR(g[1], 0.8f, 1e-6);
    std::vector<float> small = {0.3f, 0.4f};
    clip_grad_norm(small, 1.0);
    EXPECT_EQ(small, (std::vector<float>{0.3f, 0.4f}));
}
