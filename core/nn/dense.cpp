// Dense forward and backward with the core's GEMM over the model's buffers (no allocation). Big
// layers are split over the pool by output units: thread t computes units unit_share(O, T, t) of
// the output, their weight gradients, and (in the optimizer) their update, so each unit's weights
// stay in one core's cache from step to step. Each element is computed by one thread in one
// order, so any thread count gives the same numbers.
#include "nn/dense.h"

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "util/thread_pool.h"

namespace liandan {
namespace {
// Below this many multiply-adds a split costs more than it saves.
constexpr int64_t k_parallel_work = 1 << 16;
int threads_for(const RunContext &ctx, int64_t work) { return ctx.pool && work >= k_parallel_work ? ctx.pool->size() : 1; }

// Runs f(o0, o1) over the layer's output units, one share per thread.
template <class F> void over_units(RunContext &ctx, int threads, int O, F &&f) {
    if (threads == 1) return f(0, O);
    ctx.pool->parallel_for(threads, [&](int t0, int t1, int) {
        for (int t = t0; t < t1; ++t) {
            const UnitShare u = unit_share(O, threads, t, gemm_tile_width());
            if (u.begin < u.end) f(u.begin, u.end);
        }
    });
}
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
    const GemmPath path = gemm_path(false, true, O, I);
    over_units(ctx, threads_for(ctx, int64_t(n) * I * O), O, [&](int o0, int o1) {
        // Y[:, o0..o1) = X · W[o0..o1)ᵀ + b      X [n, I], W [O, I], Y [n, O]
        gemm(path, false, true, n, o1 - o0, I, x, I, w_ + size_t(o0) * I, I, y + o0, O, false);
        add_bias_cols(n, o1 - o0, O, b_ + o0, y + o0);
    });
}

void Dense::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int I = in_.size(), O = out_;
    const int threads = threads_for(ctx, int64_t(n) * I * O);
    over_units(ctx, threads, O, [&](int o0, int o1) {
        // dW[o0..o1) = dY[:, o0..o1)ᵀ · X        dY [N, O], X [N, I], dW [O, I]
        gemm(true, false, o1 - o0, I, n, dy + o0, O, x, I, dw_ + size_t(o0) * I, I, false);
        // db = Σ_n dY
        sum_rows(n, o1 - o0, O, dy + o0, db_ + o0);
    });
    if (!dx) return;
    auto input_rows = [&](int r0, int r1, int) {
        // dX = dY · W         dY [n, O], W [O, I], dX [n, I]
        gemm(false, false, r1 - r0, I, O, dy + size_t(r0) * O, O, w_, I, dx + size_t(r0) * I, I, false);
    };
    if (threads > 1) ctx.pool->parallel_for(n, input_rows);
    else input_rows(0, n, 0);
}

} // namespace liandan
