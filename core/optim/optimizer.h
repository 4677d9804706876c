// Optimizers update the model's flat parameter buffer from its flat gradient buffer in place,
// with PyTorch's formulas (torch.optim.SGD, Adam, AdamW, RMSprop). State is allocated at
// construction, so a step allocates nothing.
#pragma once
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "spec.h"

namespace liandan {

class ThreadPool;

// Per thread, the ranges [begin, end) of the parameters it updates: the units whose gradients it
// computed (Model::param_shares), so they are still in its cache.
using ParamShares = std::vector<std::vector<std::pair<size_t, size_t>>>;

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // One update with the learning rate lr (the schedule's value for this step), split over the
    // pool by shares when both are given. Updates are element-wise: any split gives the same numbers.
    void step(std::span<float> params, std::span<const float> grads, double lr, ThreadPool *pool = nullptr,
              const ParamShares *shares = nullptr);

    // Its state, for an experiment saved whole (train/experiment_file.h): each buffer under
    // torch.optim's name for it (exp_avg, momentum_buffer, ...), one value per parameter, and the
    // steps taken (Adam's bias correction counts them).
    virtual std::vector<std::pair<const char *, std::vector<float> *>> buffers() = 0;
    int64_t steps_taken() const { return t_; }
    void set_steps_taken(int64_t t) { t_ = t; }

protected:
    int64_t t_ = 0; // steps taken, this one included while it runs
    virtual void begin_step(double lr) = 0;                                  // the step's constants
    virtual void update(size_t begin, size_t end, float *p, const float *g) = 0; // params [begin, end)
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec &spec, size_t n_params);

// Scales grads in place so their global L2 norm is at most max_norm (torch.nn.utils.clip_grad_norm_);
// returns the norm before clipping.
double clip_grad_norm(std::span<float> grads, double max_norm);

// The learning rate at a step (0-based) of an epoch (0-based), by spec.schedule and warmup.
double scheduled_lr(const OptimizerSpec &spec, double base_lr, int64_t step, int epoch, int total_epochs);

} // namespace liandan
