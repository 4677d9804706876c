// Optimizers update the model's flat parameter buffer from its flat gradient buffer in place,
// with PyTorch's formulas. State (momentum buffers) is allocated at construction.
#pragma once
#include <memory>
#include <span>

#include "spec.h"

namespace liandan {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual void step(std::span<float> params, std::span<const float> grads) = 0;
    void set_lr(double lr) { lr_ = lr; }
    double lr() const { return lr_; }

protected:
    double lr_ = 0.0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec &spec, size_t n_params);

} // namespace liandan
