// Conv2d forward and backward with the core's GEMM. Forward is split over samples; the weight
// gradient over filters and the column gradient over its rows, so any thread count gives the
// same numbers.
#include "nn/conv2d.h"

#include <algorithm>
#include <cstring>

#include "kernels/gemm.h"
#include "util/thread_pool.h"

namespace liandan {

Conv2d::Conv2d(Shape in, int filters, int kernel, int stride, bool same)
    : in_(in), k_(kernel), stride_(stride), pad_(same ? (kernel - 1) / 2 : 0) {
    out_ = {filters, out_side(in.h, kernel, stride, same), out_side(in.w, kernel, stride, same)};
}

std::vector<ParamView> Conv2d::param_shapes(const std::string &prefix) const {
    const size_t w = size_t(out_.c) * in_.c * k_ * k_;
    return {{prefix + "weight", {out_.c, in_.c, k_, k_}, 0, w, true, ParamInit::scheme},
            {prefix + "bias", {out_.c}, w, size_t(out_.c)}}; // offsets within this layer
}

void Conv2d::bind(float *params, float *grads, float *) {
    const size_t w = size_t(out_.c) * in_.c * k_ * k_;
    w_ = params;
    b_ = params + w;
    dw_ = grads;
    db_ = grads + w;
}

size_t Conv2d::scratch_floats(const Capacity &cap) const {
    const size_t ckk = size_t(in_.c) * k_ * k_, p = size_t(out_.h) * out_.w;
    return size_t(cap.train_batch) * p * (2 * ckk + out_.c) + size_t(cap.threads) * ckk * p;
}

void Conv2d::allocate(const Capacity &cap) {
    const size_t ckk = size_t(in_.c) * k_ * k_, p = size_t(out_.h) * out_.w;
    train_batch_ = cap.train_batch;
    cols_.assign(size_t(cap.train_batch) * ckk * p, 0.0f);
    dcols_.assign(size_t(cap.train_batch) * ckk * p, 0.0f);
    dy_cat_.assign(size_t(cap.train_batch) * out_.c * p, 0.0f);
    eval_cols_.assign(cap.threads, std::vector<float>(ckk * p));
}

void Conv2d::im2col(const float *x, float *cols, size_t ld) const {
    for (int c = 0; c < in_.c; ++c)
        for (int ki = 0; ki < k_; ++ki)
            for (int kj = 0; kj < k_; ++kj) {
                float *row = cols + size_t(c * k_ + ki) * k_ * ld + size_t(kj) * ld;
                // Output columns whose input column ix = ox·stride + kj - pad lies inside [0, W).
                const int lo = std::clamp((pad_ - kj + stride_ - 1) / stride_, 0, out_.w);
                const int hi = std::clamp((in_.w + pad_ - kj + stride_ - 1) / stride_, lo, out_.w);
                for (int oy = 0; oy < out_.h; ++oy) {
                    float *dst = row + size_t(oy) * out_.w;
                    const int iy = oy * stride_ + ki - pad_;
                    if (iy < 0 || iy >= in_.h) {
                        std::fill_n(dst, out_.w, 0.0f);
                        continue;
                    }
                    const float *src = x + (size_t(c) * in_.h + iy) * in_.w;
                    std::fill_n(dst, lo, 0.0f);
                    if (stride_ == 1) std::memcpy(dst + lo, src + lo + kj - pad_, sizeof(float) * (hi - lo));
                    else
                        for (int ox = lo; ox < hi; ++ox) dst[ox] = src[ox * stride_ + kj - pad_];
                    std::fill(dst + hi, dst + out_.w, 0.0f);
                }
            }
}

void Conv2d::col2im(const float *cols, size_t ld, float *dx) const {
    std::fill(dx, dx + in_.size(), 0.0f);
    for (int c = 0; c < in_.c; ++c)
        for (int ki = 0; ki < k_; ++ki)
            for (int kj = 0; kj < k_; ++kj) {
                const float *row = cols + size_t(c * k_ + ki) * k_ * ld + size_t(kj) * ld;
                const int lo = std::clamp((pad_ - kj + stride_ - 1) / stride_, 0, out_.w);
                const int hi = std::clamp((in_.w + pad_ - kj + stride_ - 1) / stride_, lo, out_.w);
                for (int oy = 0; oy < out_.h; ++oy) {
                    const int iy = oy * stride_ + ki - pad_;
                    if (iy < 0 || iy >= in_.h) continue;
                    const float *src = row + size_t(oy) * out_.w;
                    float *dst = dx + (size_t(c) * in_.h + iy) * in_.w;
                    for (int ox = lo; ox < hi; ++ox) dst[ox * stride_ + kj - pad_] += src[ox];
                }
            }
}

void Conv2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    // Training keeps the batch's columns side by side for backward; evaluation uses small buffers.
    const bool keep = ctx.training && n <= train_batch_;
    const size_t ld = keep ? size_t(n) * P : size_t(P);
    auto samples = [&](int s0, int s1, int thread) {
        for (int s = s0; s < s1; ++s) {
            float *cols = keep ? cols_.data() + size_t(s) * P : eval_cols_[thread].data();
            im2col(x + size_t(s) * in_.size(), cols, ld);
            float *ys = y + size_t(s) * O * P;
            // Y = W · cols + b     W [O, C·K·K], cols [C·K·K, P], Y [O, P]
            gemm(false, false, O, P, CKK, w_, CKK, cols, int(ld), ys, P, false);
            for (int o = 0; o < O; ++o)
                for (int p = 0; p < P; ++p) ys[size_t(o) * P + p] += b_[o];
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples);
    else samples(0, n, 0);
}

void Conv2d::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    const int ld = n * P;
    // dY [N, O, P] -> [O, N·P], the layout of the columns
    for (int s = 0; s < n; ++s)
        for (int o = 0; o < O; ++o) std::memcpy(&dy_cat_[size_t(o) * ld + size_t(s) * P], dy + (size_t(s) * O + o) * P, sizeof(float) * P);
    auto filters = [&](int o0, int o1, int) {
        // dW = dY · colsᵀ      dY [O, N·P], cols [C·K·K, N·P], dW [O, C·K·K]
        gemm(false, true, o1 - o0, CKK, ld, &dy_cat_[size_t(o0) * ld], ld, cols_.data(), ld, dw_ + size_t(o0) * CKK, CKK, false);
        // db = Σ_n Σ_p dY
        for (int o = o0; o < o1; ++o) {
            double sum = 0;
            for (int i = 0; i < ld; ++i) sum += dy_cat_[size_t(o) * ld + i];
            db_[o] = float(sum);
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(O, filters);
    else filters(0, O, 0);
    if (!dx) return;
    auto column_rows = [&](int r0, int r1, int) {
        // dcols = Wᵀ · dY      W [O, C·K·K], dY [O, N·P], dcols [C·K·K, N·P]
        gemm(true, false, r1 - r0, ld, O, w_ + r0, CKK, dy_cat_.data(), ld, &dcols_[size_t(r0) * ld], ld, false);
    };
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) col2im(&dcols_[size_t(s) * P], ld, dx + size_t(s) * in_.size());
    };
    if (ctx.pool) {
        ctx.pool->parallel_for(CKK, column_rows);
        ctx.pool->parallel_for(n, samples);
    } else {
        column_rows(0, CKK, 0);
        samples(0, n, 0);
    }
}

} // namespace liandan
