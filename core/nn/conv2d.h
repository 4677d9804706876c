// 2-D convolution (cross-correlation, as PyTorch): W [O, C, K, K], b [O], stride, padding valid
// or same (stride 1; odd or even K, extra padding at the bottom/right as PyTorch). Computed as
// im2col then products: a training batch's columns sit side by side in cols [C·K·K, N·P], so the
// weight and input gradients are one large product each instead of N small ones.
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
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override;
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

    // Output side for an input side (valid: (H - K) / stride + 1; same: H).
    static int out_side(int in, int kernel, int stride, bool same) { return same ? in : (in - kernel) / stride + 1; }

private:
    // x [C, H, W] -> rows of cols [C·K·K, P] with row stride ld
    void im2col(const float *x, float *cols, size_t ld) const;
    // The adjoint: dx [C, H, W] = Σ of the columns' values over the positions they came from
    void col2im(const float *cols, size_t ld, float *dx) const;

    Shape in_, out_;
    int k_, stride_, pad_;
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
    std::vector<float> cols_;                    // [C·K·K, N·P] of the last training forward
    std::vector<float> dy_cat_, dcols_;          // [O, N·P], [C·K·K, N·P]
    std::vector<std::vector<float>> eval_cols_;  // per thread [C·K·K, P] for evaluation chunks
    int train_batch_ = 0;
};

} // namespace liandan
