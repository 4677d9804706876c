// SGD with momentum and Nesterov, as torch.optim.SGD (dampening 0):
//   g = grad + wd·p + l1·sign(p);  b = μ·b + g;  step = nesterov ? g + μ·b : b;  p -= lr·step
#include <vector>

#include "kernels/optim.h"
#include "optim/optimizer.h"
#include "optim/regularize.h"

namespace liandan {

class Sgd final : public Optimizer {
public:
    Sgd(const OptimizerSpec &spec, size_t n) : spec_(spec), buf_(spec.momentum > 0 ? n : 0, 0.0f) {}

    std::vector<std::pair<const char *, std::vector<float> *>> buffers() override {
        if (buf_.empty()) return {};
        return {{"momentum_buffer", &buf_}};
    }

protected:
    void begin_step(double lr) override { lr_ = float(lr); }
    void update(size_t begin, size_t end, float *p, const float *g) override {
        sgd_update(end - begin, p + begin, g + begin, buf_.empty() ? nullptr : buf_.data() + begin, lr_, float(spec_.momentum),
                   spec_.nesterov, grad_terms(spec_));
    }

private:
    OptimizerSpec spec_;
    std::vector<float> buf_;
    float lr_ = 0;
};

std::unique_ptr<Optimizer> make_sgd(const OptimizerSpec &spec, size_t n) { return std::make_unique<Sgd>(spec, n); }

} // namespace liandan
