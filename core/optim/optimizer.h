// Optimizers update the model's flat parameter buffer from its flat gradient buffer in place,
// with PyTorch's formulas (torch.optim.SGD, Adam, AdamW, RMSprop). State is allocated at
// construction, so a step allocates nothing.
#pragma once
#include <memory>
#include <span>

#include "spec.h"

namespace liandan {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // One update with the learning rate lr (the schedule's value for this step).
    virtual void step(std::span<float> params, std::span<const float> grads, double lr) = 0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec &spec, size_t n_params);

// Scales grads in place so their global L2 norm is at most max_norm (torch.nn.utils.clip_grad_norm_);
// returns the norm before clipping.
double clip_grad_norm(std::span<float> grads, double max_norm);

// The learning rate at a step (0-based) of an epoch (0-based), by spec.schedule and warmup.
double scheduled_lr(const OptimizerSpec &spec, double base_lr, int64_t step, int epoch, int total_epochs);

} // namespace liandan
