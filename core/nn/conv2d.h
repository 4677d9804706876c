// 2-D convolution (cross-correlation, as PyTorch): W [O, C, K, K], b [O], stride, padding valid
// or same (stride 1; odd or even K, extra padding at the bottom/right as PyTorch). Computed per
// sample as im2col then products, with columns small enough to stay in cache.
#pragma once
#include <vector>

#include "kernels/im2col.h"
#include "nn/layer.h"

namespace liandan {

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
    Shape in_, out_;
    int k_, pad_;
    ConvGeometry geom_; // with the stride, for the im2col kernels
    int group_ = 1;     // samples whose columns go into one product (conv2d.cpp)
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
    static constexpr int k_groups = 8;           // sample groups of backward (see conv2d.cpp)
    std::vector<std::vector<float>> cols_, dcols_; // per thread [C·K·K, group·P]: a group's columns
    std::vector<std::vector<float>> outs_;         // per thread [O, group·P]: its outputs, or their gradients
    std::vector<float> dw_parts_;                // [groups, O, C·K·K] (or [groups, C·K·K, O])
    std::vector<double> db_parts_;               // [groups, O]
};

} // namespace liandan
