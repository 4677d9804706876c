// SGD with momentum and Nesterov, as torch.optim.SGD (dampening 0):
//   g = grad + wd·p + l1·sign(p);  b = μ·b + g;  step = nesterov ? g + μ·b : b;  p -= lr·step
#include <cmath>
#include <vector>

#include "optim/optimizer.h"

namespace liandan {
namespace {

class Sgd final : public Optimizer {
public:
    Sgd(const OptimizerSpec &spec, size_t n) : spec_(spec), buf_(spec.momentum > 0 ? n : 0, 0.0f) { lr_ = spec.lr; }

    void step(std::span<float> p, std::span<const float> grad) override {
        const float lr = float(lr_), mu = float(spec_.momentum), wd = float(spec_.weight_decay), l1 = float(spec_.l1);
        const size_t n = p.size();
        for (size_t i = 0; i < n; ++i) {
            float g = grad[i];
            if (wd != 0.0f) g += wd * p[i];
            if (l1 != 0.0f) g += l1 * float((p[i] > 0) - (p[i] < 0));
            if (mu != 0.0f) {
                // PyTorch seeds the buffer with the first gradient; b starts at 0 here, which is the same.
                buf_[i] = mu * buf_[i] + g;
                g = spec_.nesterov ? g + mu * buf_[i] : buf_[i];
            }
            p[i] -= lr * g;
        }
    }

private:
    OptimizerSpec spec_;
    std::vector<float> buf_;
};

} // namespace

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec &spec, size_t n_params) {
    return std::make_unique<Sgd>(spec, n_params);
}

} // namespace liandan
