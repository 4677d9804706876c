// The gradient terms of L2 (weight_decay, coupled as torch's SGD/Adam/RMSprop add it) and L1.
#pragma once
#include "spec.h"

namespace liandan {

inline float regularized_grad(const OptimizerSpec &s, float g, float p) {
    if (s.weight_decay != 0.0 && s.type != OptimizerType::adamw) g += float(s.weight_decay) * p;
    if (s.l1 != 0.0) g += float(s.l1) * float((p > 0) - (p < 0));
    return g;
}

} // namespace liandan
