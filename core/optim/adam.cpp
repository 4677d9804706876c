// Adam and AdamW, in torch.optim.Adam's operation order (so float results match closely):
//   m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//   denom = √v / √(1-β2ᵗ) + eps;  p -= lr/(1-β1ᵗ) · m / denom
// AdamW decays the weights first, decoupled from the gradient: p *= 1 - lr·wd.
#include <cmath>
#include <vector>

#include "kernels/optim.h"
#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class Adam final : public Optimizer {
public:
    Adam(const OptimizerSpec &spec, size_t n) : spec_(spec), m_(n, 0.0f), v_(n, 0.0f) {}

    std::vector<std::pair<const char *, std::vector<float> *>> buffers() override { return {{"exp_avg", &m_}, {"exp_avg_sq", &v_}}; }

protected:
    void begin_step(double lr) override {
        const double bc1 = 1.0 - std::pow(spec_.beta1, double(t_)), bc2 = 1.0 - std::pow(spec_.beta2, double(t_));
        AdamStep &a = step_;
        a.beta1 = float(spec_.beta1), a.beta2 = float(spec_.beta2), a.eps = float(spec_.eps);
        // 1-β rounded from double, as torch passes it (1 - float(β2) is off by 1e-5 relative for β2 = 0.999)
        a.one_minus_beta1 = float(1.0 - spec_.beta1), a.one_minus_beta2 = float(1.0 - spec_.beta2);
        a.step_size = float(lr / bc1), a.inv_sqrt_bc2 = float(1.0 / std::sqrt(bc2));
        a.decay = spec_.type == OptimizerType::adamw ? float(1.0 - lr * spec_.weight_decay) : 1.0f;
    }
    void update(size_t begin, size_t end, float *p, const float *g) override {
        adam_update(end - begin, p + begin, g + begin, m_.data() + begin, v_.data() + begin, step_, grad_terms(spec_));
    }

private:
    OptimizerSpec spec_;
    std::vector<float> m_, v_;
    AdamStep step_{};
};

std::unique_ptr<Optimizer> make_adam(const OptimizerSpec &spec, size_t n) { return std::make_unique<Adam>(spec, n); }

} // namespace liandan
