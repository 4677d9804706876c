// Optimizer factory, gradient clipping and learning-rate schedules.
#include "optim/optimizer.h"

#include <cmath>

namespace liandan {

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec &spec, size_t n);
std::unique_ptr<Optimizer> make_adam(const OptimizerSpec &spec, size_t n);
std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec &spec, size_t n);

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec &spec, size_t n_params) {
    switch (spec.type) {
    case OptimizerType::sgd: return make_sgd(spec, n_params);
    case OptimizerType::adam:
    case OptimizerType::adamw: return make_adam(spec, n_params);
    case OptimizerType::rmsprop: return make_rmsprop(spec, n_params);
    }
    return nullptr;
}

double clip_grad_norm(std::span<float> grads, double max_norm) {
    double sum = 0;
    for (float g : grads) sum += double(g) * g;
    const double norm = std::sqrt(sum);
    if (max_norm > 0 && norm > max_norm) {
        // torch multiplies by max_norm / (norm + 1e-6)
        const float scale = float(max_norm / (norm + 1e-6));
        for (float &g : grads) g *= scale;
    }
    return norm;
}

double scheduled_lr(const OptimizerSpec &spec, double base, int64_t step, int epoch, int total_epochs) {
    const ScheduleSpec &s = spec.schedule;
    double lr = base;
    switch (s.type) {
    case ScheduleType::constant: break;
    case ScheduleType::step: lr = base * std::pow(s.gamma, epoch / s.step_size); break;          // StepLR
    case ScheduleType::exponential: lr = base * std::pow(s.gamma, epoch); break;                 // ExponentialLR
    case ScheduleType::cosine: {                                                                  // CosineAnnealingLR
        const int t_max = s.t_max > 0 ? s.t_max : std::max(1, total_epochs);
        const double t = std::min(epoch, t_max);
        lr = s.min_lr + (base - s.min_lr) * (1 + std::cos(3.14159265358979323846 * t / t_max)) / 2;
        break;
    }
    }
    if (s.warmup_steps > 0 && step < s.warmup_steps) lr *= double(step + 1) / s.warmup_steps; // linear warmup
    return lr;
}

} // namespace liandan
