// 2-D convolution (cross-correlation, as PyTorch): W [O, C, K, K], b [O], stride, padding valid
// or same (stride 1; odd or even K, extra padding at the bottom/right as PyTorch). Same padding
// is computed per sample as products over the padded image shifted by each tap (no columns
// written); the rest as im2col then products, with columns small enough to stay in cache.
#pragma once
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"
#include "util/aligned.h"

namespace liandan {

// A padded image, flattened: planes of rows × width floats, the image at (top, top) in each and
// zeros around it. The buffers past the last plane hold a product's reads that run off its end.
struct ShiftedFrame {
    int planes = 0, rows = 0, width = 0, top = 0;
    size_t plane() const { return size_t(rows) * width; }
};

class Conv2d final : public Layer {
public:
    Conv2d(Shape in, int filters, int kernel, int stride, bool same);
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return out_; }
    std::vector<ParamView> param_shapes(const std::string &prefix) const override;
    void bind(float *params, float *grads, float *state) override;
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override;
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

    // Output side for an input side (valid: (H - K) / stride + 1; same: H).
    static int out_side(int in, int kernel, int stride, bool same) { return same ? in : (in - kernel) / stride + 1; }

private:
    void forward_shifted(const float *x, float *y, int n, RunContext &ctx);
    void backward_shifted(const float *x, const float *dy, float *dx, int n, RunContext &ctx);
    void forward_columns(const float *x, float *y, int n, RunContext &ctx);
    void backward_columns(const float *x, const float *dy, float *dx, int n, RunContext &ctx);
    // The groups' weight and bias gradients, added in group order into dW and db.
    void sum_groups(int groups, bool transposed);

    Shape in_, out_;
    int k_, pad_;
    ConvGeometry geom_; // with the stride, for the im2col kernels
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
    static constexpr int k_groups = 8;  // sample groups of backward (see conv2d.cpp)
    std::vector<float> dw_parts_;       // [groups, O, C·K·K] (or [groups, C·K·K, O])
    std::vector<double> db_parts_;      // [groups, O]

    // Same padding: shifted products over padded, flattened images (conv2d.cpp).
    bool shifted_ = false;
    ShiftedFrame fx_, fdy_;                      // x padded for the output; dY padded for dX
    std::vector<int> taps_x_, taps_dy_;          // each kernel tap's offset into its frame
    std::vector<int> positions_;                 // each output position's offset into x's frame (outer_)
    int ld_out_ = 0, ld_dx_ = 0;                 // output rows' and dX rows' floats: whole tiles of frame rows
    bool outer_ = false;                         // the weight gradient as outer products (conv2d.cpp)
    std::vector<float> wflip_;                   // W flipped [C, O·K·K]: (ki, kj) reversed
    std::vector<float> packed_w_, packed_wflip_; // both packed for gemm_shifted
    struct ShiftedScratch { // one thread's; borders and gaps stay zero once allocated; buffers start on cache lines
        AlignedFloats xpad, out, dyrows, dyt, dypad, dxrows; // dyrows for the dots, dyt for the outer products
    };
    std::vector<ShiftedScratch> shifted_scratch_;

    // Valid or strided: im2col, then products over a few samples' columns side by side.
    int group_ = 1;                                // samples whose columns go into one product
    std::vector<std::vector<float>> cols_, dcols_; // per thread [C·K·K, group·P]: a group's columns
    std::vector<std::vector<float>> outs_;         // per thread [O, group·P]: its outputs, or their gradients
};

} // namespace liandan
