// Conv2d forward and backward with the core's products.
//
// Stride 1 with same padding (most layers): per sample, on the image padded and flattened into
// rows of W + K - 1 (ShiftedFrame). Output position (oy, ox) then reads tap (c, ki, kj) at a
// fixed offset from oy · width + ox, so Y = W · cols is one product whose column rows are windows
// into the padded image (gemm_shifted): nothing the size of the columns (C·K·K times the image)
// is written. Each row's last K - 1 positions are computed and dropped. The input gradient is the
// same product over dY padded by K - 1 - pad, with the kernel flipped; the weight gradient is outer
// products of the windows, read at the output positions only, with dY's columns
// (gemm_shifted_outer) when the filters fill whole tiles, else dot products of dY's rows with the
// windows (gemm_dots_shifted). Natively this took W2 (LeNet-like,
// two same convolutions) from 8,500 to 10,900-11,700 samples/s at one thread: im2col, its zeros
// and its copies had been half of the step.
//
// Valid padding and larger strides: im2col of a few samples side by side ([C·K·K, g·P]), so
// each product is g times wider while the columns still fit in cache. Shifted, a valid layer
// would drop K - 1 of every OW + K - 1 positions (the digits net's second: 4 of 14), and
// measured slower than its columns in wasm and natively.
//
// Forward is split over samples. Backward is split over a fixed number of sample groups
// (k_groups, whatever the thread count): each group sums its samples' weight gradients, and the
// groups' sums are added in order at the end, so any thread count gives the same numbers.
#include "nn/conv2d.h"

#include <algorithm>
#include <cstdint>

#include "kernels/elementwise.h"
#include "kernels/gemm.h"
#include "kernels/transpose.h"
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

int round_up(int n, int multiple) { return (n + multiple - 1) / multiple * multiple; }

// An image [planes, h, w] into a frame's interior; the frame's borders stay zero.
void place(const ShiftedFrame &f, int h, int w, const float *image, float *frame) {
    for (int p = 0; p < f.planes; ++p)
        for (int y = 0; y < h; ++y)
            std::copy_n(image + (size_t(p) * h + y) * w, w, frame + p * f.plane() + size_t(f.top + y) * f.width + f.top);
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
    shifted_ = stride == 1 && same;
    if (shifted_) {
        // x with the padding around it: output rows are as wide as its rows, less K - 1.
        fx_ = {in.c, out_.h + kernel - 1, out_.w + kernel - 1, pad_};
        // dY with K - 1 - pad around it, as wide as dX's rows plus K - 1.
        fdy_ = {filters, in.h + kernel - 1, in.w + kernel - 1, kernel - 1 - pad_};
        for (int c = 0; c < in.c; ++c)
            for (int ki = 0; ki < kernel; ++ki)
                for (int kj = 0; kj < kernel; ++kj) taps_x_.push_back(int(c * fx_.plane()) + ki * fx_.width + kj);
        for (int o = 0; o < filters; ++o)
            for (int ki = 0; ki < kernel; ++ki)
                for (int kj = 0; kj < kernel; ++kj) taps_dy_.push_back(int(o * fdy_.plane()) + ki * fdy_.width + kj);
        const int width = gemm_shifted_width();
        ld_out_ = round_up(out_.h * fx_.width, width);
        ld_dx_ = round_up(in.h * fdy_.width, width);
        // The weight gradient as outer products when the filters fill whole tiles (they skip the
        // frame's gaps, and broadcasts against dYᵀ's rows beat dot products' sums); else dots.
        outer_ = filters % width == 0;
        if (outer_)
            for (int oy = 0; oy < out_.h; ++oy)
                for (int ox = 0; ox < out_.w; ++ox) positions_.push_back(oy * fx_.width + ox);
    } else {
        group_ = samples_per_product(size_t(in.c) * kernel * kernel, size_t(out_.h) * out_.w);
    }
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
    const size_t ckk = size_t(in_.c) * k_ * k_, parts = size_t(k_groups) * out_.c * (ckk + 2);
    if (shifted_) {
        const size_t dy_layout = outer_ ? out_.size() : size_t(out_.c) * ld_out_; // dyt or dyrows
        const size_t per_thread = (taps_x_.back() + ld_out_) + size_t(out_.c) * ld_out_ + dy_layout + (taps_dy_.back() + ld_dx_) +
                                  size_t(in_.c) * ld_dx_;
        return size_t(cap.threads) * per_thread + 3 * out_.c * ckk + parts;
    }
    const size_t gp = size_t(group_) * out_.h * out_.w;
    return size_t(cap.threads) * (2 * ckk + out_.c) * gp + parts;
}

void Conv2d::allocate(const Capacity &cap) {
    const size_t ckk = size_t(in_.c) * k_ * k_;
    dw_parts_.assign(size_t(k_groups) * out_.c * ckk, 0.0f);
    db_parts_.assign(size_t(k_groups) * out_.c, 0.0);
    if (shifted_) {
        ShiftedScratch t;
        t.xpad.assign(taps_x_.back() + ld_out_, 0.0f);
        t.out.assign(size_t(out_.c) * ld_out_, 0.0f);
        if (outer_) t.dyt.assign(out_.size(), 0.0f);
        else t.dyrows.assign(size_t(out_.c) * ld_out_, 0.0f);
        t.dypad.assign(taps_dy_.back() + ld_dx_, 0.0f);
        t.dxrows.assign(size_t(in_.c) * ld_dx_, 0.0f);
        shifted_scratch_.assign(cap.threads, t);
        packed_w_.assign(out_.c * ckk, 0.0f);
        packed_wflip_.assign(out_.c * ckk, 0.0f);
        wflip_.assign(out_.c * ckk, 0.0f);
        return;
    }
    const size_t gp = size_t(group_) * out_.h * out_.w;
    cols_.assign(cap.threads, std::vector<float>(ckk * gp));
    dcols_.assign(cap.threads, std::vector<float>(ckk * gp));
    outs_.assign(cap.threads, std::vector<float>(size_t(out_.c) * gp));
}

void Conv2d::forward(const float *x, float *y, int n, RunContext &ctx) {
    if (shifted_) forward_shifted(x, y, n, ctx);
    else forward_columns(x, y, n, ctx);
}

void Conv2d::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    if (shifted_) backward_shifted(x, dy, dx, n, ctx);
    else backward_columns(x, dy, dx, n, ctx);
}

void Conv2d::forward_shifted(const float *x, float *y, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, O = out_.c, OH = out_.h, OW = out_.w, width = fx_.width, ld = ld_out_;
    gemm_shifted_pack(O, CKK, w_, CKK, packed_w_.data());
    auto samples = [&](int s0, int s1, int thread) {
        ShiftedScratch &t = shifted_scratch_[thread];
        for (int s = s0; s < s1; ++s) {
            place(fx_, in_.h, in_.w, x + size_t(s) * in_.size(), t.xpad.data());
            // Y [O, OH·width] = W [O, C·K·K] · the taps' windows [C·K·K, OH·width]
            gemm_shifted(O, ld, CKK, packed_w_.data(), t.xpad.data(), taps_x_.data(), t.out.data(), ld);
            float *ys = y + size_t(s) * out_.size();
            for (int o = 0; o < O; ++o)
                for (int oy = 0; oy < OH; ++oy) {
                    const float *row = t.out.data() + size_t(o) * ld + size_t(oy) * width;
                    float *dst = ys + (size_t(o) * OH + oy) * OW;
                    for (int ox = 0; ox < OW; ++ox) dst[ox] = row[ox] + b_[o];
                }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(n, samples, k_sample_chunks_per_thread);
    else samples(0, n, 0);
}

void Conv2d::backward_shifted(const float *x, const float *dy, float *dx, int n, RunContext &ctx) {
    const int C = in_.c, CKK = C * k_ * k_, O = out_.c, OKK = O * k_ * k_, OH = out_.h, OW = out_.w, P = OH * OW;
    const int ld_out = ld_out_, ld_dx = ld_dx_;
    const int groups = std::min(n, k_groups);
    if (dx) { // W flipped: [C, O·K·K] with (ki, kj) reversed
        for (int c = 0; c < C; ++c)
            for (int o = 0; o < O; ++o)
                for (int t = 0; t < k_ * k_; ++t)
                    wflip_[(size_t(c) * O + o) * k_ * k_ + t] = w_[(size_t(o) * C + c) * k_ * k_ + (k_ * k_ - 1 - t)];
        gemm_shifted_pack(C, OKK, wflip_.data(), OKK, packed_wflip_.data());
    }
    auto run_groups = [&](int g0, int g1, int thread) {
        ShiftedScratch &t = shifted_scratch_[thread];
        for (int group = g0; group < g1; ++group) {
            float *dw = &dw_parts_[size_t(group) * O * CKK];
            double *db = &db_parts_[size_t(group) * O];
            std::fill_n(db, O, 0.0);
            const int s0 = int(int64_t(n) * group / groups), s1 = int(int64_t(n) * (group + 1) / groups);
            for (int s = s0; s < s1; ++s) {
                const float *dys = dy + size_t(s) * out_.size();
                place(fx_, in_.h, in_.w, x + size_t(s) * in_.size(), t.xpad.data());
                for (int o = 0; o < O; ++o) db[o] += sum_row(P, dys + size_t(o) * P); // db += Σ_p dY
                if (outer_) {
                    // dWᵀ [C·K·K, O] += windows [C·K·K, P] · dYᵀ [P, O], at the P positions only
                    transpose(O, P, dys, P, t.dyt.data(), O);
                    gemm_shifted_outer(CKK, O, P, t.xpad.data(), taps_x_.data(), positions_.data(), t.dyt.data(), dw, O, s > s0);
                } else {
                    for (int o = 0; o < O; ++o) // dY's rows in the frame's width, the gaps zero
                        for (int oy = 0; oy < OH; ++oy)
                            std::copy_n(dys + (size_t(o) * OH + oy) * OW, OW, t.dyrows.data() + size_t(o) * ld_out + size_t(oy) * fx_.width);
                    // dWᵀ [C·K·K, O] += windows [C·K·K, ld_out] · dY [O, ld_out]ᵀ, over whole vectors:
                    // past OH·width, dY's row is zeros (a vector's tail would take a slow path).
                    gemm_dots_shifted(CKK, O, ld_out, t.xpad.data(), taps_x_.data(), t.dyrows.data(), ld_out, dw, O, s > s0);
                }
                if (!dx) continue;
                // dX [C, H·width'] = flipped W [C, O·K·K] · dY's windows [O·K·K, H·width']
                place(fdy_, OH, OW, dys, t.dypad.data());
                gemm_shifted(C, ld_dx, OKK, packed_wflip_.data(), t.dypad.data(), taps_dy_.data(), t.dxrows.data(), ld_dx);
                float *dxs = dx + size_t(s) * in_.size();
                for (int c = 0; c < C; ++c)
                    for (int iy = 0; iy < in_.h; ++iy)
                        std::copy_n(t.dxrows.data() + size_t(c) * ld_dx + size_t(iy) * fdy_.width, in_.w,
                                    dxs + (size_t(c) * in_.h + iy) * in_.w);
            }
        }
    };
    if (ctx.pool) ctx.pool->parallel_for(groups, run_groups, k_sample_chunks_per_thread);
    else run_groups(0, groups, 0);
    sum_groups(groups, true);
}

void Conv2d::forward_columns(const float *x, float *y, int n, RunContext &ctx) {
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

void Conv2d::backward_columns(const float *x, const float *dy, float *dx, int n, RunContext &ctx) {
    const int CKK = in_.c * k_ * k_, P = out_.h * out_.w, O = out_.c;
    const int groups = std::min(n, k_groups);
    // dW transposed, dWᵀ = cols · dYᵀ, when there are fewer filters than column rows (as in
    // most layers): the product's B operand is then dY's O rows, which stay in cache while the
    // columns stream past. Otherwise dW [O, C·K·K] directly. The choice depends on the shapes
    // only, so thread counts never change the bits.
    const bool transposed = O <= CKK;
    // Its product packed once the filters fill a register tile: the dot products read a column
    // row again for every tile of filters (the digits' second layer, 24 filters: a quarter
    // slower natively). By the shapes and a whole group's width alone, as in forward_columns, so
    // a shorter last chunk takes the same path.
    const GemmPath wpath = transposed && O >= gemm_tile_width() ? GemmPath::packed : gemm_path(false, true, O, group_ * P);
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
                    gemm(wpath, false, true, CKK, O, ld, cols, ld, dys, ld, dw, O, s > s0);
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
    sum_groups(groups, transposed);
}

// The groups' sums, added in group order: the same for any number of threads.
void Conv2d::sum_groups(int groups, bool transposed) {
    const int CKK = in_.c * k_ * k_, O = out_.c;
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
