// Optimizers and schedules with degenerate settings have exact answers (docs/design.md, "Habits of the code"); every option
// is also compared over several steps with a double-precision transcription of the algorithms in
// PyTorch's documentation (torch.optim.SGD, Adam, AdamW, RMSprop; lr_scheduler; clip_grad_norm_).
#include <functional>

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

TEST(sgd, l1_and_weight_decay_are_added_to_the_gradient) {
    // g' = g + wd·p + l1·sign(p), sign(0) = 0: {0 + 1 + 0.25, 0 - 1 - 0.25, 1 + 0 + 0}
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.weight_decay = 0.5, s.l1 = 0.25;
    auto opt = make_optimizer(s, 3);
    std::vector<float> p = {2, -2, 0}, g = {0, 0, 1};
    opt->step(p, g, 1.0);
    EXPECT_EQ(p, (std::vector<float>{0.75f, -0.75f, -1}));
}

TEST(sgd, momentum_and_nesterov_over_steps_lr_one) {
    // μ = 0.5, g = 1, 2, -1: b = 1, 2.5, 0.25; p = -1, -3.5, -3.75
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.momentum = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {0};
    for (float g : {1.0f, 2.0f, -1.0f}) opt->step(p, std::vector<float>{g}, 1.0);
    EXPECT_EQ(p[0], -3.75f);
    // Nesterov, g = 1, 1: b = 1, 1.5; step = g + μ·b = 1.5, 1.75; p = -1.5, -3.25
    s.nesterov = true;
    auto nag = make_optimizer(s, 1);
    p = {0};
    nag->step(p, std::vector<float>{1}, 1.0);
    EXPECT_EQ(p[0], -1.5f);
    nag->step(p, std::vector<float>{1}, 1.0);
    EXPECT_EQ(p[0], -3.25f);
}

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

TEST(adam, weight_decay_is_coupled_and_l1_too) {
    // Adam adds wd·p (and l1·sign p) to the gradient before the moments: g' = -2 + 0.5·2 = -1 and
    // 0.5 + 0.5·2 = 1.5, so with β = 0 the steps are sign(g') = -1 and +1; l1: 0 + 0.5·sign(-1) = -0.5.
    OptimizerSpec s = optimizer(OptimizerType::adam, 1.0);
    s.beta1 = 0, s.beta2 = 0, s.weight_decay = 0.5;
    auto opt = make_optimizer(s, 2);
    std::vector<float> p = {2, 2}, g = {-2, 0.5f};
    opt->step(p, g, 1.0);
    EXPECT_EQ(p, (std::vector<float>{3, 1}));
    s.weight_decay = 0, s.l1 = 0.5;
    auto l1 = make_optimizer(s, 1);
    std::vector<float> q = {-1};
    l1->step(q, std::vector<float>{0}, 1.0);
    EXPECT_EQ(q[0], 0.0f);
}

TEST(adam, bias_correction_makes_constant_gradients_move_by_lr) {
    // With a constant g, m̂ = g and v̂ = g² at every step for any β: each step moves by lr·g/(|g| + eps).
    for (auto [b1, b2] : {std::pair{0.5, 0.0}, std::pair{0.0, 0.5}, std::pair{0.9, 0.999}}) {
        SCOPED_TRACE(b1);
        OptimizerSpec s = optimizer(OptimizerType::adam, 1.0);
        s.beta1 = b1, s.beta2 = b2;
        auto opt = make_optimizer(s, 1);
        std::vector<float> p = {0};
        for (int t = 1; t <= 5; ++t) {
            opt->step(p, std::vector<float>{0.75f}, 1.0);
            EXPECT_NEAR(p[0], -t, 4e-7 * t) << "step " << t;
        }
    }
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

TEST(adamw, decay_is_not_added_to_the_gradient) {
    // p = 4·(1 - lr·wd) = 2, then the Adam step of g = -1 alone (sign: +1) gives 3. Coupled decay would
    // see g' = -1 + 0.5·4 = 1 and step the other way.
    OptimizerSpec s = optimizer(OptimizerType::adamw, 1.0);
    s.beta1 = 0, s.beta2 = 0, s.weight_decay = 0.5;
    auto opt = make_optimizer(s, 1);
    std::vector<float> p = {4};
    opt->step(p, std::vector<float>{-1}, 1.0);
    EXPECT_EQ(p[0], 3.0f);
    // The decay follows the scheduled lr: lr 0.5, wd 0.5 -> p·0.75, then 0.5·sign(g)
    auto half = make_optimizer(s, 1);
    p = {4};
    half->step(p, std::vector<float>{1}, 0.5);
    EXPECT_EQ(p[0], 2.5f);
}

TEST(rmsprop, exact_steps_alpha_momentum_centered_weight_decay) {
    // α = 0.75, g = ±1: v = 0.25, √v = 0.5, step = lr·g/0.5 = ±2
    OptimizerSpec s = optimizer(OptimizerType::rmsprop, 1.0);
    s.alpha = 0.75;
    auto plain = make_optimizer(s, 2);
    std::vector<float> p = {0, 0};
    plain->step(p, std::vector<float>{1, -1}, 1.0);
    EXPECT_EQ(p, (std::vector<float>{-2, 2}));
    // momentum 0.5, α = 0: b = g/|g| = 1, then 0.5 + 1 = 1.5; p = -1, -2.5
    s.alpha = 0, s.momentum = 0.5;
    auto mom = make_optimizer(s, 1);
    p = {0};
    mom->step(p, std::vector<float>{1}, 1.0);
    mom->step(p, std::vector<float>{1}, 1.0);
    EXPECT_EQ(p[0], -2.5f);
    // centered, α = 0.5, g = 1: v = 0.5, a = 0.5, v - a² = 0.25, step = 1/0.5 = 2
    s.alpha = 0.5, s.momentum = 0, s.centered = true;
    auto centered = make_optimizer(s, 1);
    p = {0};
    centered->step(p, std::vector<float>{1}, 1.0);
    EXPECT_EQ(p[0], -2.0f);
    // weight decay: α = 0, g = 0, p = 2: g' = 0.5·2 = 1, step = sign = 1
    s.alpha = 0, s.centered = false, s.weight_decay = 0.5;
    auto decayed = make_optimizer(s, 1);
    p = {2};
    decayed->step(p, std::vector<float>{0}, 1.0);
    EXPECT_EQ(p[0], 1.0f);
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

TEST(schedule, cosine_follows_pytorchs_closed_form) {
    // η = η_min + (η_0 - η_min)(1 + cos(π·epoch/T_max))/2, also past T_max, where torch's
    // CosineAnnealingLR rises again (half a period later it is back at η_0).
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.schedule.type = ScheduleType::cosine, s.schedule.t_max = 4, s.schedule.min_lr = 0.2;
    const double pi = 3.14159265358979323846;
    for (int epoch = 0; epoch <= 12; ++epoch)
        EXPECT_NEAR(scheduled_lr(s, 1.0, 0, epoch, 100), 0.2 + 0.8 * (1 + std::cos(pi * epoch / 4)) / 2, 1e-12) << "epoch " << epoch;
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 6, 100), 0.6, 1e-12);
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 8, 100), 1.0, 1e-12);
    s.schedule.t_max = 0; // the period defaults to train.epochs
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 5, 10), 0.6, 1e-12);
    EXPECT_NEAR(scheduled_lr(s, 1.0, 0, 10, 10), 0.2, 1e-12);
}

TEST(schedule, warmup_scales_any_schedule_per_step) {
    // Linear warmup (torch's LinearLR from 1/w to 1 over w steps) multiplies the epoch schedule.
    OptimizerSpec s = optimizer(OptimizerType::sgd, 1.0);
    s.schedule.type = ScheduleType::step, s.schedule.step_size = 1, s.schedule.gamma = 0.5, s.schedule.warmup_steps = 8;
    EXPECT_EQ(scheduled_lr(s, 1.0, 0, 0, 10), 0.125);
    EXPECT_EQ(scheduled_lr(s, 1.0, 3, 1, 10), 0.25);  // 4/8 of 0.5
    EXPECT_EQ(scheduled_lr(s, 1.0, 7, 2, 10), 0.25);  // warmup done: 0.5²
    EXPECT_EQ(scheduled_lr(s, 1.0, 8, 2, 10), 0.25);
    s.schedule.type = ScheduleType::exponential, s.schedule.gamma = 0.5;
    EXPECT_EQ(scheduled_lr(s, 2.0, 1, 1, 10), 0.25); // 2/8 of 2·0.5
}

namespace {
// The algorithms of PyTorch's documentation for torch.optim.SGD, Adam, AdamW and RMSprop, in double,
// one parameter at a time (L1 added to the gradient as the core defines it: l1·sign(p)).
struct Reference {
    OptimizerSpec s;
    std::vector<double> b, m, v, a;
    int t = 0;
    Reference(const OptimizerSpec &spec, size_t n) : s(spec), b(n, 0), m(n, 0), v(n, 0), a(n, 0) {}
    void step(std::vector<double> &p, const std::vector<double> &grad, double lr) {
        ++t;
        for (size_t i = 0; i < p.size(); ++i) {
            double g = grad[i];
            if (s.type == OptimizerType::adamw) p[i] *= 1 - lr * s.weight_decay;
            else if (s.weight_decay != 0) g += s.weight_decay * p[i];
            if (s.l1 != 0) g += s.l1 * ((p[i] > 0) - (p[i] < 0));
            switch (s.type) {
            case OptimizerType::sgd:
                if (s.momentum != 0) {
                    b[i] = t > 1 ? s.momentum * b[i] + g : g; // dampening 0
                    g = s.nesterov ? g + s.momentum * b[i] : b[i];
                }
                p[i] -= lr * g;
                break;
            case OptimizerType::adam:
            case OptimizerType::adamw: {
                m[i] = s.beta1 * m[i] + (1 - s.beta1) * g;
                v[i] = s.beta2 * v[i] + (1 - s.beta2) * g * g;
                const double m_hat = m[i] / (1 - std::pow(s.beta1, t)), v_hat = v[i] / (1 - std::pow(s.beta2, t));
                p[i] -= lr * m_hat / (std::sqrt(v_hat) + s.eps);
                break;
            }
            case OptimizerType::rmsprop: {
                v[i] = s.alpha * v[i] + (1 - s.alpha) * g * g;
                double var = v[i];
                if (s.centered) {
                    a[i] = s.alpha * a[i] + (1 - s.alpha) * g;
                    var -= a[i] * a[i];
                }
                const double avg = std::sqrt(var) + s.eps;
                if (s.momentum > 0) {
                    b[i] = s.momentum * b[i] + g / avg;
                    p[i] -= lr * b[i];
                } else {
                    p[i] -= lr * g / avg;
                }
                break;
            }
            }
        }
    }
};
} // namespace

TEST(optimizers, match_a_transcription_of_pytorchs_algorithms) {
    std::vector<std::pair<std::string, std::function<void(OptimizerSpec &)>>> cases = {
        {"sgd", [](OptimizerSpec &) {}},
        {"sgd momentum", [](OptimizerSpec &s) { s.momentum = 0.9; }},
        {"sgd nesterov wd l1", [](OptimizerSpec &s) { s.momentum = 0.8, s.nesterov = true, s.weight_decay = 0.01, s.l1 = 0.001; }},
        {"adam", [](OptimizerSpec &s) { s.type = OptimizerType::adam; }},
        {"adam wd l1", [](OptimizerSpec &s) { s.type = OptimizerType::adam, s.beta1 = 0.8, s.beta2 = 0.99, s.weight_decay = 0.1, s.l1 = 0.01; }},
        {"adamw", [](OptimizerSpec &s) { s.type = OptimizerType::adamw, s.weight_decay = 0.01; }},
        {"adamw eps", [](OptimizerSpec &s) { s.type = OptimizerType::adamw, s.weight_decay = 0.2, s.eps = 1e-3; }},
        {"rmsprop", [](OptimizerSpec &s) { s.type = OptimizerType::rmsprop; }},
        {"rmsprop momentum", [](OptimizerSpec &s) { s.type = OptimizerType::rmsprop, s.momentum = 0.9; }},
        {"rmsprop centered", [](OptimizerSpec &s) { s.type = OptimizerType::rmsprop, s.centered = true, s.alpha = 0.9; }},
        {"rmsprop centered momentum wd", [](OptimizerSpec &s) {
             s.type = OptimizerType::rmsprop, s.centered = true, s.momentum = 0.5, s.weight_decay = 0.05;
         }},
    };
    for (auto &[name, configure] : cases) {
        SCOPED_TRACE(name);
        OptimizerSpec s = optimizer(OptimizerType::sgd, 0.5);
        configure(s);
        const size_t n = 16;
        auto opt = make_optimizer(s, n);
        Reference ref(s, n);
        Rng rng(3);
        std::vector<float> p(n), g(n);
        std::vector<double> pd(n), gd(n);
        for (size_t i = 0; i < n; ++i) pd[i] = p[i] = float(rng.uniform(-1, 1));
        // Large steps (lr near 1), and differences relative to the distance each value travelled, so
        // a relative error in the steps shows above the float rounding of p.
        std::vector<double> travelled(n, 1.0);
        double worst = 0;
        for (int t = 0; t < 8; ++t) {
            const double lr = 0.5 * (1 + t % 3); // as a schedule would vary it
            for (size_t i = 0; i < n; ++i) gd[i] = g[i] = float(rng.uniform(-2, 2));
            std::vector<double> before = pd;
            opt->step(p, g, lr);
            ref.step(pd, gd, lr);
            for (size_t i = 0; i < n; ++i) {
                travelled[i] += std::abs(pd[i] - before[i]);
                worst = std::max(worst, std::abs(p[i] - pd[i]) / travelled[i]);
            }
        }
        std::printf("  %-28s largest difference from the double reference after 8 steps: %.3g of the distance travelled\n", name.c_str(),
                    worst);
        EXPECT_LT(worst, 1e-6);
    }
}

TEST(clip, global_norm) {
    std::vector<float> g = {3, 4};
    EXPECT_DOUBLE_EQ(clip_grad_norm(g, 1.0), 5.0);
    EXPECT_NEAR(g[0], 0.6f, 1e-6);
    EXPECT_NEAR(g[1], 0.8f, 1e-6);
    std::vector<float> small = {0.3f, 0.4f};
    clip_grad_norm(small, 1.0);
    EXPECT_EQ(small, (std::vector<float>{0.3f, 0.4f}));
    std::vector<float> off = {30, 40};
    EXPECT_DOUBLE_EQ(clip_grad_norm(off, 0.0), 50.0); // 0: report the norm, clip nothing
    EXPECT_EQ(off, (std::vector<float>{30, 40}));
}

TEST(clip, coefficient_is_pytorchs_at_the_threshold) {
    // torch.nn.utils.clip_grad_norm_ scales by max_norm / (norm + 1e-6) whenever that is below 1,
    // which includes a norm equal to max_norm: {3, 4} with max_norm 5 is scaled by 5 / 5.000001.
    std::vector<float> g = {3, 4};
    clip_grad_norm(g, 5.0);
    const float scale = float(5.0 / (5.0 + 1e-6));
    EXPECT_EQ(g, (std::vector<float>{3 * scale, 4 * scale}));
    EXPECT_LT(g[0], 3.0f);
}
