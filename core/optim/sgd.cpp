// SGD with momentum and Nesterov, as torch.optim.SGD (dampening 0):
//   g = grad + wd·p + l1·sign(p);  b = μ·b + g;  step = nesterov ? g + μ·b : b;  p -= lr·step
#include <vector>

#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class Sgd final : public Optimizer {
public:
    Sgd(const OptimizerSpec &spec, size_t n) : spec_(spec), buf_(spec.momentum > 0 ? n : 0, 0.0f) {}

    void step(std::span<float> p, std::span<const float> grad, double lr_d) override {
        const float lr = float(lr_d), mu = float(spec_.momentum);
        const size_t n = p.size();
        for (size_t i = 0; i < n; ++i) {
            float g = regularized_grad(spec_, grad[i], p[i]);
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

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec &spec, size_t n) { return std::make_unique<Sgd>(spec, n); }

} // namespace liandan
