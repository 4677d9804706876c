// Conv2d forward and backward. Work is split over samples; the weight gradient is summed from
// per-thread partials in thread order, so a run is repeatable for a given thread count.
#include "nn/conv2d.h"

#include <algorithm>

#include "kernels/eigen.h"
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

void Conv2d::allocate(int max_batch, int threads) {
    const size_t ckk = size_t(in_.c) * k_ * k_, p = size_t(out_.h) * out_.w;
    cols_.assign(size_t(max_batch) * ckk * p, 0.0f);
    dw_partial_.assign(threads, std::vector<float>(size_t(out_.c) * ckk));
    dcols_.assign(threads, std::vector<float>(ckk * p));
}

void Conv2d::im2col(const float *x, float *cols) const {
    const int P = out_.h * out_.w;
    for (int c = 0; c < in_.c; ++c)
        for (int ki = 0; ki < k_; ++ki)
            for (int kj = 0; kj < k_; ++kj) {
                float *row = cols + (size_t(c * k_ + ki) * k_ + kj) * P;
                for (int oy = 0; oy < out_.h; ++oy) {
                    const int iy = oy * stride_ + ki - pad_;
                    for (int ox = 0; ox < out_.w; ++ox) {
                        const int ix = ox * stride_ + kj - pad_;
                        row[oy * out_.w + ox] = iy >= 0 && iy < in_.h && ix >= 0 && ix < in_.w ? x[(size_t(c) * in_.h + iy) * in_.w + ix] : 0.0f;
                    }
                }
            }
}

void Conv2d::col2im(const float *cols, float *dx) const {
    const int P = out_.h * out_.w;
    std::fill(dx, dx + in_.size(), 0.0f);
    for (int c = 0; c < in_.c; ++c)
        for (int ki = 0; ki < k_; ++ki)
            for (int kj = 0; kj < k_; ++kj) {
                const float *row = cols + (size_t(c * k_ + ki) * k_ + kj) * P;
                for (int oy = 0; oy < out_.h; ++oy) {
                    const int iy = oy * stride_ + ki - pad_;
                    if (iy < 0 || iy >= in_.h) continue;
                    for (int ox = 0; ox < out_.w; ++ox) {
                        const int ix = ox * stride_ + kj - pad_;
                        if (ix >= 0 && ix < in_.w) dx[(size_t(c) * in_.h + iy) * in_.w + ix] += row[oy * out_.w + ox];
                    }
                }
            }
}

void Conv2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    ConstMatrixMap W(w_, O, CKK);
    auto samples = [&](int s0, int s1, int) {
        for (int s = s0; s < s1; ++s) {
            float *cols = &cols_[size_t(s) * CKK * P]; // kept for backward
            im2col(x + size_t(s) * in_.size(), cols);
            MatrixMap Y(y + size_t(s) * O * P, O, P);
            // Y = W · cols + b
            Y.noalias() = W * ConstMatrixMap(cols, CKK, P);
            Y.colwise() += Eigen::Map<const Eigen::VectorXf>(b_, O);
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples);
    else samples(0, n, 0);
}

void Conv2d::backward(const float *, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    const int threads = ctx.pool ? std::min(ctx.pool->size(), std::max(n, 1)) : 1;
    ConstMatrixMap W(w_, O, CKK);
    auto samples = [&](int s0, int s1, int t) {
        MatrixMap dWt(dw_partial_[t].data(), O, CKK);
        dWt.setZero();
        for (int s = s0; s < s1; ++s) {
            ConstMatrixMap dY(dy + size_t(s) * O * P, O, P);
            ConstMatrixMap cols(&cols_[size_t(s) * CKK * P], CKK, P);
            // dW += dY · colsᵀ
            dWt.noalias() += dY * cols.transpose();
            if (dx) {
                MatrixMap dcols(dcols_[t].data(), CKK, P);
                // dcols = Wᵀ · dY, then scattered back onto the input
                dcols.noalias() = W.transpose() * dY;
                col2im(dcols_[t].data(), dx + size_t(s) * in_.size());
            }
        }
    };
    if (threads > 1) ctx.pool->parallel_for(n, samples);
    else samples(0, n, 0);
    MatrixMap dW(dw_, O, CKK);
    dW = MatrixMap(dw_partial_[0].data(), O, CKK);
    for (int t = 1; t < threads; ++t) dW += MatrixMap(dw_partial_[t].data(), O, CKK);
    // db = Σ_n Σ_p dY
    for (int o = 0; o < O; ++o) {
        double sum = 0;
        for (int s = 0; s < n; ++s) {
            const float *row = dy + (size_t(s) * O + o) * P;
            for (int p = 0; p < P; ++p) sum += row[p];
        }
        db_[o] = float(sum);
    }
}

} // namespace liandan
