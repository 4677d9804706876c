// Pooling forward and backward, split over samples (each sample is independent).
#include "nn/pool.h"

#include "kernels/pool.h"
#include "util/thread_pool.h"

namespace liandan {

Pool2d::Pool2d(Shape in, int size, int stride, bool max) : in_(in), max_(max) {
    out_ = {in.c, (in.h - size) / stride + 1, (in.w - size) / stride + 1};
    geom_ = {in.c, in.h, in.w, size, stride, out_.h, out_.w};
}

void Pool2d::allocate(const Capacity &cap) {
    if (max_) argmax_.assign(size_t(cap.max_batch) * out_.size(), 0);
}

void Pool2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) {
            const float *xs = x + size_t(s) * in_.size();
            float *ys = y + size_t(s) * out_.size();
            if (max_) maxpool_forward(geom_, xs, ys, &argmax_[size_t(s) * out_.size()]);
            else avgpool_forward(geom_, xs, ys);
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples, k_sample_chunks_per_thread);
    else samples(0, n, 0);
}

void Pool2d::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    if (!dx) return;
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) {
            const float *dys = dy + size_t(s) * out_.size();
            float *dxs = dx + size_t(s) * in_.size();
            if (max_) maxpool_backward(geom_, &argmax_[size_t(s) * out_.size()], dys, dxs); // dx[argmax] += dy
            else avgpool_backward(geom_, dys, dxs);                                           // dx[window] += dy / size²
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples, k_sample_chunks_per_thread);
    else samples(0, n, 0);
}

} // namespace liandan
