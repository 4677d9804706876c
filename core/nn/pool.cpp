// Pooling forward and backward, split over samples (each sample is independent).
#include "nn/pool.h"

#include <algorithm>
#include <limits>

#include "util/thread_pool.h"

namespace liandan {

Pool2d::Pool2d(Shape in, int size, int stride, bool max) : in_(in), size_(size), stride_(stride), max_(max) {
    out_ = {in.c, (in.h - size) / stride + 1, (in.w - size) / stride + 1};
}

void Pool2d::allocate(const Capacity &cap) {
    if (max_) argmax_.assign(size_t(cap.max_batch) * out_.size(), 0);
}

void Pool2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    const float inv_area = 1.0f / float(size_ * size_);
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) {
            const float *xs = x + size_t(s) * in_.size();
            float *ys = y + size_t(s) * out_.size();
            int32_t *am = max_ ? &argmax_[size_t(s) * out_.size()] : nullptr;
            for (int c = 0; c < in_.c; ++c)
                for (int oy = 0; oy < out_.h; ++oy)
                    for (int ox = 0; ox < out_.w; ++ox) {
                        float best = -std::numeric_limits<float>::infinity(), sum = 0;
                        int32_t where = 0;
                        for (int i = 0; i < size_; ++i)
                            for (int j = 0; j < size_; ++j) {
                                int32_t idx = (c * in_.h + oy * stride_ + i) * in_.w + ox * stride_ + j;
                                float v = xs[idx];
                                if (v > best) best = v, where = idx; // the first maximum wins, as in PyTorch
                                sum += v;
                            }
                        const int o = (c * out_.h + oy) * out_.w + ox;
                        if (max_) {
                            ys[o] = best;
                            am[o] = where;
                        } else {
                            ys[o] = sum * inv_area;
                        }
                    }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples);
    else samples(0, n, 0);
}

void Pool2d::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    if (!dx) return;
    const float inv_area = 1.0f / float(size_ * size_);
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) {
            const float *dys = dy + size_t(s) * out_.size();
            float *dxs = dx + size_t(s) * in_.size();
            std::fill(dxs, dxs + in_.size(), 0.0f);
            if (max_) { // dx[argmax] += dy
                const int32_t *am = &argmax_[size_t(s) * out_.size()];
                for (int o = 0; o < out_.size(); ++o) dxs[am[o]] += dys[o];
                continue;
            }
            for (int c = 0; c < in_.c; ++c) // dx[window] += dy / size²
                for (int oy = 0; oy < out_.h; ++oy)
                    for (int ox = 0; ox < out_.w; ++ox) {
                        const float g = dys[(c * out_.h + oy) * out_.w + ox] * inv_area;
                        for (int i = 0; i < size_; ++i)
                            for (int j = 0; j < size_; ++j) dxs[(c * in_.h + oy * stride_ + i) * in_.w + ox * stride_ + j] += g;
                    }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples);
    else samples(0, n, 0);
}

} // namespace liandan
