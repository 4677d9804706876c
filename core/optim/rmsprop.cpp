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

    std::vector<std::pair<const char *, std::vector<float> *>> buffers() override {
        std::vector<std::pair<const char *, std::vector<float> *>> out{{"square_avg", &v_}};
        if (!a_.empty()) out.emplace_back("grad_avg", &a_);
        if (!buf_.empty()) out.emplace_back("momentum_buffer", &buf_);
        return out;
    }

protected:
    void begin_step(double lr) override { lr_ = float(lr); }
    void update(size_t begin, size_t end, float *p, const float *g) override {
        rmsprop_update(end - begin, p + begin, g + begin, v_.data() + begin, spec_.centered ? a_.data() + begin : nullptr,
                       spec_.momentum > 0 ? buf_.data() + begin : nullptr, lr_, float(spec_.alpha),
                       float(1.0 - spec_.alpha) /* rounded from double, as torch passes it */, float(spec_.eps),
                       float(spec_.momentum), grad_terms(spec_));
    }

private:
    OptimizerSpec spec_;
    std::vector<float> v_, a_, buf_;
    float lr_ = 0;
};

std::unique_ptr<Optimizer> make_rmsprop(const OptimizerSpec &spec, size_t n) { return std::make_unique<RmsProp>(spec, n); }

} // namespace liandan
