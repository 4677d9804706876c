// Dense forward and backward with the core's GEMM over the model's buffers (no allocation), split
// over the pool by rows of the result: each element is computed by one thread in one order, so
// any thread count gives the same numbers.
#include "nn/dense.h"

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
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
    auto rows = [&](int r0, int r1, int) {
        // Y = X · Wᵀ + b      X [n, I], W [O, I], Y [n, O]
        gemm(false, true, r1 - r0, O, I, x + size_t(r0) * I, I, w_, I, y + size_t(r0) * O, O, false);
        add_bias_cols(r1 - r0, O, b_, y + size_t(r0) * O);
    };
    if (threads_for(ctx, int64_t(n) * I * O) > 1) ctx.pool->parallel_for(n, rows);
    else rows(0, n, 0);
}

void Dense::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int I = in_.size(), O = out_;
    auto weight_rows = [&](int o0, int o1, int) {
        // dW = dYᵀ · X        dY [N, O], X [N, I], dW [O, I]
        gemm(true, false, o1 - o0, I, n, dy + o0, O, x, I, dw_ + size_t(o0) * I, I, false);
        // db = Σ_n dY
        sum_rows(n, o1 - o0, O, dy + o0, db_ + o0);
    };
    const bool split = threads_for(ctx, int64_t(n) * I * O) > 1;
    if (split) ctx.pool->parallel_for(O, weight_rows);
    else weight_rows(0, O, 0);
    if (!dx) return;
    auto input_rows = [&](int r0, int r1, int) {
        // dX = dY · W         dY [n, O], W [O, I], dX [n, I]
        gemm(false, false, r1 - r0, I, O, dy + size_t(r0) * O, O, w_, I, dx + size_t(r0) * I, I, false);
    };
    if (split) ctx.pool->parallel_for(n, input_rows);
    else input_rows(0, n, 0);
}

} // namespace liandan
