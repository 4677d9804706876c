// Optimizer factory, gradient clipping and learning-rate schedules.
#include "optim/optimizer.h"

#include <cmath>

#include "util/thread_pool.h"

namespace liandan {

void Optimizer::step(std::span<float> params, std::span<const float> grads, double lr, ThreadPool *pool, const ParamShares *shares) {
    ++t_;
    begin_step(lr);
    float *p = params.data();
    const float *g = grads.data();
    constexpr size_t k_parallel_params = 1 << 15; // below this, waking a thread costs more than it saves
    if (!pool || pool->size() < 2 || !shares || int(shares->size()) != pool->size() || params.size() < k_parallel_params)
        return update(0, params.size(), p, g);
    pool->parallel_for(pool->size(), [&](int t0, int t1, int) {
        for (int t = t0; t < t1; ++t)
            for (auto [begin, end] : (*shares)[size_t(t)]) update(begin, end, p, g);
    });
}

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
    // torch multiplies by max_norm / (norm + 1e-6) when that is below 1 (so also at norm = max_norm)
    if (const double scale = max_norm / (norm + 1e-6); max_norm > 0 && scale < 1)
        for (float &g : grads) g *= float(scale);
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
        // torch's closed form, not clamped: past t_max the rate rises again, as in torch
        const int t_max = s.t_max > 0 ? s.t_max : std::max(1, total_epochs);
        lr = s.min_lr + (base - s.min_lr) * (1 + std::cos(3.14159265358979323846 * epoch / t_max)) / 2;
        break;
    }
    }
    if (s.warmup_steps > 0 && step < s.warmup_steps) lr *= double(step + 1) / s.warmup_steps; // linear warmup
    return lr;
}

} // namespace liandan
