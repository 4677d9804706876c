// The optimizers' per-parameter updates as flat loops over [n] buffers (docs/design.md, "Habits of the code"); the
// classes in optim/ keep the state and compute the per-step constants. Formulas: optim/*.cpp.
#pragma once
#include <cstddef>

namespace liandan {

// Gradient terms every optimizer adds before its update: g += weight_decay·p + l1·sign(p).
struct GradTerms {
    float weight_decay = 0; // coupled L2 (0 for AdamW, which decays the weights itself)
    float l1 = 0;
};

struct AdamStep {
    float beta1, beta2, eps;
    float one_minus_beta1, one_minus_beta2; // from double: float(1 - β), not 1 - float(β)
    float step_size;    // lr / (1 - β1ᵗ)
    float inv_sqrt_bc2; // 1 / √(1 - β2ᵗ)
    float decay;        // AdamW's 1 - lr·wd, else 1
};
// p, g, m, v [n]
void adam_update(size_t n, float *p, const float *g, float *m, float *v, const AdamStep &s, GradTerms terms);

// buf [n] is used (and may be null) only when momentum ≠ 0
void sgd_update(size_t n, float *p, const float *g, float *buf, float lr, float momentum, bool nesterov, GradTerms terms);

// a [n] only when centered, buf [n] only when momentum ≠ 0
void rmsprop_update(size_t n, float *p, const float *g, float *v, float *a, float *buf, float lr, float alpha, float one_minus_alpha, float eps, float momentum,
                    GradTerms terms);

} // namespace liandan
