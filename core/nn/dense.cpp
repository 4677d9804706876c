// Dense forward and backward through Eigen maps over the model's buffers (no allocation), split
// over the pool by rows of the result, so each element is computed by one thread in one order.
#include "nn/dense.h"

#include "kernels/eigen.h"
#include "util/thread_pool.h"

namespace liandan {
namespace {
// Below this many multiply-adds a split costs more than it saves.
constexpr int64_t k_parallel_work = 1 << 16;
int threads_for(const RunContext &ctx, int64_t work) { return ctx.pool && work >= k_parallel_work ? ctx.pool->size() : 1; }
} // namespace

std::vector<ParamView> Dense::param_shapes(const std::string &prefix) const {
    const int I = in_.size();
    return {{prefix + "weight", {out_, I}, 0, size_t(out_) * I, true, ParamInit::scheme},
            {prefix + "bias", {out_}, size_t(out_) * I, size_t(out_)}}; // offsets within this layer
}

void Dense::bind(float *params, float *grads, float *) {
    const size_t wsize = size_t(out_) * in_.size();
    w_ = params;
    b_ = params + wsize;
    dw_ = grads;
    db_ = grads + wsize;
}

void Dense::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int I = in_.size(), O = out_;
    ConstMatrixMap W(w_, O, I); // [O, I]
    ConstRowMap B(b_, O);       // [O]
    auto rows = [&](int r0, int r1, int) {
        ConstMatrixMap X(x + size_t(r0) * I, r1 - r0, I); // [n, I]
        MatrixMap Y(y + size_t(r0) * O, r1 - r0, O);      // [n, O]
        // Y = X · Wᵀ + b
        Y.noalias() = X * W.transpose();
        Y.rowwise() += B;
    };
    if (threads_for(ctx, int64_t(n) * I * O) > 1) ctx.pool->parallel_for(n, rows);
    else rows(0, n, 0);
}

void Dense::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int I = in_.size(), O = out_;
    ConstMatrixMap X(x, n, I);    // [N, I]
    ConstMatrixMap dY(dy, n, O);  // [N, O]
    auto weight_rows = [&](int o0, int o1, int) {
        MatrixMap dW(dw_ + size_t(o0) * I, o1 - o0, I); // [o, I]
        // dW = dYᵀ · X
        dW.noalias() = dY.middleCols(o0, o1 - o0).transpose() * X;
        // db = Σ_n dY
        RowMap(db_ + o0, o1 - o0) = dY.middleCols(o0, o1 - o0).colwise().sum();
    };
    const bool split = threads_for(ctx, int64_t(n) * I * O) > 1;
    if (split) ctx.pool->parallel_for(O, weight_rows);
    else weight_rows(0, O, 0);
    if (!dx) return;
    ConstMatrixMap W(w_, O, I);
    auto input_rows = [&](int r0, int r1, int) {
        MatrixMap dX(dx + size_t(r0) * I, r1 - r0, I);
        // dX = dY · W
        dX.noalias() = dY.middleRows(r0, r1 - r0) * W;
    };
    if (split) ctx.pool->parallel_for(n, input_rows);
    else input_rows(0, n, 0);
}

} // namespace liandan
