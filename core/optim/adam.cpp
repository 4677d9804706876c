// Adam and AdamW, in torch.optim.Adam's operation order (so float results match closely):
//   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//   denom = √v / √(1-β2ᵗ) + eps;  p -= lr/(1-β1ᵗ) · m / denom
// AdamW decays the weights first, decoupled from the gradient: p *= 1 - lr·wd.
#include <cmath>
#include <vector>

#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class Adam final : public Optimizer {
public:
    Adam(const OptimizerSpec &spec, size_t n) : spec_(spec), m_(n, 0.0f), v_(n, 0.0f) {}

    void step(std::span<float> p, std::span<const float> grad, double lr) override {
        ++t_;
        const double bc1 = 1.0 - std::pow(spec_.beta1, double(t_)), bc2 = 1.0 - std::pow(spec_.beta2, double(t_));
        // 1-β rounded from double, as torch passes it (1 - float(β2) is off by 1e-5 relative for β2 = 0.999)
        const float b1 = float(spec_.beta1), b2 = float(spec_.beta2), eps = float(spec_.eps);
        const float one_minus_b1 = float(1.0 - spec_.beta1), one_minus_b2 = float(1.0 - spec_.beta2);
        const float step_size = float(lr / bc1), inv_sqrt_bc2 = float(1.0 / std::sqrt(bc2));
        const float decay = spec_.type == OptimizerType::adamw ? float(1.0 - lr * spec_.weight_decay) : 1.0f;
        const size_t n = p.size();
        for (size_t i = 0; i < n; ++i) {
            float g = regularized_grad(spec_, grad[i], p[i]);
            p[i] *= decay;
            m_[i] = b1 * m_[i] + one_minus_b1 * g;
            v_[i] = b2 * v_[i] + one_minus_b2 * g * g;
            float denom = std::sqrt(v_[i]) * inv_sqrt_bc2 + eps;
            p[i] -= step_size * m_[i] / denom;
        }
    }

private:
    OptimizerSpec spec_;
    std::vector<float> m_, v_;
    int64_t t_ = 0;
};

std::unique_ptr<Optimizer> make_adam(const OptimizerSpec &spec, size_t n) { return std::make_unique<Adam>(spec, n); }

} // namespace liandan
