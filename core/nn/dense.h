// Fully connected layer: y = x · Wᵀ + b, W [O, I], b [O].
#pragma once
#include "nn/layer.h"

namespace liandan {

class Dense final : public Layer {
public:
    Dense(int in, int out) : in_(in), out_(out) {}
    int in_size() const override { return in_; }
    int out_size() const override { return out_; }
    std::vector<ParamView> param_shapes(int spec_index) const override;
    void bind(float *params, float *grads) override;
    void forward(const float *x, float *y, int n) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n) override;

    float *weight() { return w_; } // [O, I]
    float *bias() { return b_; }   // [O]

private:
    int in_, out_;
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
};

} // namespace liandan
