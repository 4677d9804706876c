// 2-D convolution (cross-correlation, as PyTorch): W [O, C, K, K], b [O], stride, padding valid
// or same (stride 1; odd or even K, extra padding at the bottom/right as PyTorch). Computed per
// sample as im2col then a product: Y [O, P] = W [O, C·K·K] · cols [C·K·K, P].
#pragma once
#include <vector>

#include "nn/layer.h"

namespace liandan {

class Conv2d final : public Layer {
public:
    Conv2d(Shape in, int filters, int kernel, int stride, bool same);
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return out_; }
    std::vector<ParamView> param_shapes(const std::string &prefix) const override;
    void bind(float *params, float *grads, float *state) override;
    void allocate(int max_batch, int threads) override;
    size_t scratch_per_sample() const override { return size_t(in_.c) * k_ * k_ * out_.h * out_.w; }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

    // Output side for an input side (valid: (H - K) / stride + 1; same: H).
    static int out_side(int in, int kernel, int stride, bool same) { return same ? in : (in - kernel) / stride + 1; }

private:
    void im2col(const float *x, float *cols) const;       // x [C, H, W] -> cols [C·K·K, P]
    void col2im(const float *cols, float *dx) const;      // the adjoint: accumulates into dx [C, H, W]

    Shape in_, out_;
    int k_, stride_, pad_;
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
    std::vector<float> cols_;           // [N, C·K·K, P]: kept from forward for backward
    std::vector<std::vector<float>> dw_partial_; // per thread [O, C·K·K], summed in thread order
    std::vector<std::vector<float>> dcols_;      // per thread [C·K·K, P]
};

} // namespace liandan
