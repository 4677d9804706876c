// RMSprop as torch.optim.RMSprop:
//   v = α·v + (1-α)·g²;  centered: a = α·a + (1-α)·g, v' = v - a²;  avg = √v' + eps
//   momentum: b = μ·b + g/avg, p -= lr·b;  else p -= lr·g/avg
#include <cmath>
#include <vector>

#include "kernels/optim.h"
#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class RmsProp final : public Optimizer {
public:
    RmsProp(const OptimizerSpec &spec, size_t n)
        : spec_(spec), v_(n, 0.0f), a_(spec.centered ? n : 0, 0.0f), buf_(spec.momentum > 0 ? n : 0, 0.0f) {}

    void step(std::span<float> p, std::span<const float> grad, double lr_d) override {
        rmsprop_update(p.size(), p.data(), grad.data(), v_.data(), spec_.centered ? a_.data() : nullptr,
                       spec_.momentum > 0 ? buf_.data() : nullptr, float(lr_d), float(spec_.alpha),
                       float(1.0 - spec_.alpha) /* rounded from double, as torch passes it */, float(spec_.eps),
                       float(spec_.momentum), grad_terms(spec_));
    }

private:
    OptimizerSpec spec_;
    std::vector<float> v_, a_, buf_;
};

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec &spec, size_t n) { return std::make_unique<RmsProp>(spec, n); }

} // namespace liandan
