// The gradient terms of L2 (weight_decay, coupled as torch's SGD/Adam/RMSprop add it) and L1,
// handed to the update loops in kernels/optim.h; AdamW's decoupled decay is not one of them.
#pragma once
#include "kernels/optim.h"
#include "spec.h"

namespace liandan {

inline GradTerms grad_terms(const OptimizerSpec &s) {
    return {s.type == OptimizerType::adamw ? 0.0f : float(s.weight_decay), float(s.l1)};
}

} // namespace liandan
