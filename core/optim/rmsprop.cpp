// RMSprop as torch.optim.RMSprop:
//   v = α·v + (1-α)·g²;  centered: a = α·a + (1-α)·g, v' = v - a²;  avg = √v' + eps
//   momentum: b = μ·b + g/avg, p -= lr·b;  else p -= lr·g/avg
#include <cmath>
#include <vector>

#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class RmsProp final : public Optimizer {
public:
    RmsProp(const OptimizerSpec &spec, size_t n)
        : spec_(spec), v_(n, 0.0f), a_(spec.centered ? n : 0, 0.0f), buf_(spec.momentum > 0 ? n : 0, 0.0f) {}

    void step(std::span<float> p, std::span<const float> grad, double lr_d) override {
        const float lr = float(lr_d), alpha = float(spec_.alpha), eps = float(spec_.eps), mu = float(spec_.momentum);
        const float one_minus_alpha = float(1.0 - spec_.alpha); // rounded from double, as torch passes it
        const size_t n = p.size();
        for (size_t i = 0; i < n; ++i) {
            float g = regularized_grad(spec_, grad[i], p[i]);
            v_[i] = alpha * v_[i] + one_minus_alpha * g * g;
            float var = v_[i];
            if (spec_.centered) {
                a_[i] = alpha * a_[i] + one_minus_alpha * g;
                var -= a_[i] * a_[i];
            }
            float avg = std::sqrt(var) + eps;
            if (mu != 0.0f) {
                buf_[i] = mu * buf_[i] + g / avg;
                p[i] -= lr * buf_[i];
            } else {
                p[i] -= lr * g / avg;
            }
        }
    }

private:
    OptimizerSpec spec_;
    std::vector<float> v_, a_, buf_;
};

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec &spec, size_t n) { return std::make_unique<RmsProp>(spec, n); }

} // namespace liandan
