#include "nn/reshape.h"

#include <algorithm>

#include "util/rng.h"

namespace liandan {

void Flatten::forward(const float *x, float *y, int n, RunContext &) { std::copy_n(x, size_t(n) * in_.size(), y); }

void Flatten::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &) {
    if (dx) std::copy_n(dy, size_t(n) * in_.size(), dx);
}

void Dropout::allocate(const Capacity &cap) { mask_.assign(size_t(cap.max_batch) * in_.size(), 1.0f); }

void Dropout::forward(const float *x, float *y, int n, RunContext &ctx) {
    const size_t count = size_t(n) * in_.size();
    masked_ = ctx.training && rate_ > 0;
    if (!masked_) {
        std::copy_n(x, count, y);
        return;
    }
    // Masks come from the run's seeded generator, one draw per value in order: repeatable.
    const float keep_scale = 1.0f / (1.0f - rate_);
    const uint32_t threshold = uint32_t(double(rate_) * 4294967296.0);
    for (size_t i = 0; i < count; ++i) {
        mask_[i] = ctx.rng->next_u32() >= threshold ? keep_scale : 0.0f;
        y[i] = x[i] * mask_[i];
    }
}

void Dropout::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &) {
    if (!dx) return;
    const size_t count = size_t(n) * in_.size();
    if (!masked_) std::copy_n(dy, count, dx);
    else
        for (size_t i = 0; i < count; ++i) dx[i] = dy[i] * mask_[i]; // dx = dy ⊙ mask
}

} // namespace liandan
