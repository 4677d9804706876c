// SGD with degenerate settings has exact answers (STYLE.md 17).
#include "helpers.h"
#include "optim/optimizer.h"

using namespace liandan;

TEST(sgd, plain_step_is_exact) {
    OptimizerSpec s;
    s.lr = 1.0;
    auto opt = make_optimizer(s, 3);
    std::vector<float> p = {1, 2, 3}, g = {0.5f, -1, 0};
    opt->step(p, g);
    EXPECT_EQ(p, (std::vector<float>{0.5f, 3, 3}));
}

TEST(sgd, momentum_matches_pytorch_formula) {
    // b1 = g, p1 = p0 - lr b1; b2 = μ b1 + g, p2 = p1 - lr b2 (torch.optim.SGD, dampening 0).
    OptimizerSpec s;
    s.lr = 0.5;
    s.momentum = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {1}, g = {1};
    opt->step(p, g);
    EXPECT_FLOAT_EQ(p[0], 0.5f);
    opt->step(p, g);
    EXPECT_FLOAT_EQ(p[0], 0.5f - 0.5f * 1.5f);
}

TEST(sgd, nesterov_and_weight_decay) {
    OptimizerSpec s;
    s.lr = 1.0;
    s.momentum = 0.5;
    s.nesterov = true;
    s.weight_decay = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {2}, g = {1};
    opt->step(p, g); // g' = 1 + 0.5·2 = 2; b = 2; step = g' + 0.5·b = 3
    EXPECT_EQ(p[0], -1.0f);
}
