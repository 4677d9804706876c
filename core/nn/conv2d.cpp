// Conv2d forward and backward with the core's GEMM, a few samples at a time: their columns sit
// side by side ([C·K·K, g·P]), so each product is g times wider (natively the weight gradient of
// LeNet's second convolution takes 17 µs a sample in groups of 4 against 36 alone) while the
// columns still fit in cache. Forward is split over samples. Backward is split over a fixed number
// of sample groups (k_groups, whatever the thread count): each group sums its samples' weight
// gradients, and the groups' sums are added in order at the end, so any thread count gives the
// same numbers.
#include "nn/conv2d.h"

#include <algorithm>
#include <cstdint>

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "util/thread_pool.h"

namespace liandan {
namespace {
// Σ_p v[p] in double (the bias gradient over a sample's positions), in four interleaved partial
// sums that compilers keep in vector lanes (AVX2 and SIMD128 alike: the same order in every build).
double sum_row(int n, const float *v) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) s0 += v[i], s1 += v[i + 1], s2 += v[i + 2], s3 += v[i + 3];
    for (; i < n; ++i) s0 += v[i];
    return (s0 + s1) + (s2 + s3);
}

// Samples per product: up to 4, fewer when one sample's columns are large (a group's columns stay
// under about 1 MB). Depends on the shapes only, so it never changes the numbers between runs.
int samples_per_product(size_t ckk, size_t p) {
    constexpr size_t k_group_floats = size_t(1) << 18;
    return int(std::clamp<size_t>(k_group_floats / std::max<size_t>(1, ckk * p), 1, 4));
}
} // namespace

Conv2d::Conv2d(Shape in, int filters, int kernel, int stride, bool same)
    : in_(in), k_(kernel), pad_(same ? (kernel - 1) / 2 : 0) {
    out_ = {filters, out_side(in.h, kernel, stride, same), out_side(in.w, kernel, stride, same)};
    geom_ = {in.c, in.h, in.w, kernel, stride, pad_, out_.h, out_.w};
    group_ = samples_per_product(size_t(in.c) * kernel * kernel, size_t(out_.h) * out_.w);
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
    const size_t ckk = size_t(in_.c) * k_ * k_, gp = size_t(group_) * out_.h * out_.w;
    return size_t(cap.threads) * (2 * ckk + out_.c) * gp + size_t(k_groups) * out_.c * (ckk + 2);
}

void Conv2d::allocate(const Capacity &cap) {
    const size_t ckk = size_t(in_.c) * k_ * k_, gp = size_t(group_) * out_.h * out_.w;
    cols_.assign(cap.threads, std::vector<float>(ckk * gp));
    dcols_.assign(cap.threads, std::vector<float>(ckk * gp));
    outs_.assign(cap.threads, std::vector<float>(size_t(out_.c) * gp));
    dw_parts_.assign(size_t(k_groups) * out_.c * ckk, 0.0f);
    db_parts_.assign(size_t(k_groups) * out_.c, 0.0);
}

void Conv2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    // A chunk's last product may hold fewer samples, and chunks follow the thread count: every
    // product takes the path of a full group's, so no width changes the arithmetic.
    const GemmPath path = gemm_path(false, false, group_ * P, CKK);
    auto samples = [&](int s0, int s1, int thread) {
        float *cols = cols_[thread].data(), *outs = outs_[thread].data();
        for (int s = s0; s < s1; s += group_) {
            const int g = std::min(group_, s1 - s), ld = g * P;
            for (int j = 0; j < g; ++j) im2col(geom_, x + size_t(s + j) * in_.size(), cols + size_t(j) * P, ld);
            // Y = W · cols      W [O, C·K·K], cols [C·K·K, g·P], Y [O, g·P]; each element's sum
            // runs over C·K·K alone, so grouping does not change it.
            gemm(path, false, false, O, ld, CKK, w_, CKK, cols, ld, outs, ld, false);
            for (int j = 0; j < g; ++j) { // sample j's [O, P] block, plus the bias
                float *ys = y + size_t(s + j) * O * P;
                for (int o = 0; o < O; ++o) std::copy_n(outs + size_t(o) * ld + size_t(j) * P, P, ys + size_t(o) * P);
                add_bias_rows(O, P, b_, ys);
            }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples, k_sample_chunks_per_thread);
    else samples(0, n, 0);
}

void Conv2d::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    const int groups = std::min(n, k_groups);
    // dW transposed, dWᵀ = cols · dYᵀ, when there are fewer filters than column rows (as in
    // most layers): the product's B operand is then dY's O rows, which stay in cache while the
    // columns stream past. Otherwise dW [O, C·K·K] directly. The choice depends on the shapes
    // only, so thread counts never change the bits.
    const bool transposed = O <= CKK;
    auto run_groups = [&](int g0, int g1, int thread) {
        float *cols = cols_[thread].data(), *dcols = dcols_[thread].data(), *dys = outs_[thread].data();
        for (int group = g0; group < g1; ++group) {
            float *dw = &dw_parts_[size_t(group) * O * CKK];
            double *db = &db_parts_[size_t(group) * O];
            std::fill_n(db, O, 0.0);
            const int s0 = int(int64_t(n) * group / groups), s1 = int(int64_t(n) * (group + 1) / groups);
            for (int s = s0; s < s1; s += group_) {
                const int g = std::min(group_, s1 - s), ld = g * P;
                // The columns again, rather than kept from forward: a batch's columns are
                // megabytes, a few samples' fit in cache, and copying them is cheap.
                for (int j = 0; j < g; ++j) {
                    im2col(geom_, x + size_t(s + j) * in_.size(), cols + size_t(j) * P, ld);
                    const float *dyj = dy + size_t(s + j) * O * P;
                    for (int o = 0; o < O; ++o) {
                        std::copy_n(dyj + size_t(o) * P, P, dys + size_t(o) * ld + size_t(j) * P); // dY [O, g·P]
                        db[o] += sum_row(P, dyj + size_t(o) * P);                                   // db += Σ_p dY
                    }
                }
                if (transposed) // dWᵀ += cols · dYᵀ      cols [C·K·K, g·P], dY [O, g·P], dWᵀ [C·K·K, O]
                    gemm(false, true, CKK, O, ld, cols, ld, dys, ld, dw, O, s > s0);
                else // dW += dY · colsᵀ                   dY [O, g·P], cols [C·K·K, g·P], dW [O, C·K·K]
                    gemm(false, true, O, CKK, ld, dys, ld, cols, ld, dw, CKK, s > s0);
                if (!dx) continue;
                // dcols = Wᵀ · dY      W [O, C·K·K], dY [O, g·P], dcols [C·K·K, g·P]
                gemm(true, false, CKK, ld, O, w_, CKK, dys, ld, dcols, ld, false);
                for (int j = 0; j < g; ++j) col2im(geom_, dcols + size_t(j) * P, ld, dx + size_t(s + j) * in_.size());
            }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(groups, run_groups, k_sample_chunks_per_thread);
    else run_groups(0, groups, 0);
    // The groups' sums, added in group order: the same for any number of threads.
    for (int o = 0; o < O; ++o) {
        for (int r = 0; r < CKK; ++r) {
            const size_t at = transposed ? size_t(r) * O + o : size_t(o) * CKK + r;
            float sum = dw_parts_[at];
            for (int group = 1; group < groups; ++group) sum += dw_parts_[size_t(group) * O * CKK + at];
            dw_[size_t(o) * CKK + r] = sum;
        }
        double sum = 0;
        for (int group = 0; group < groups; ++group) sum += db_parts_[size_t(group) * O + o];
        db_[o] = float(sum);
    }
}

} // namespace liandan
