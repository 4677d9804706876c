// Fully connected layer: y = x · Wᵀ + b, W [O, I], b [O]. Image inputs are read flattened (C·H·W).
#pragma once
#include "nn/layer.h"

namespace liandan {

class Dense final : public Layer {
public:
    Dense(Shape in, int out) : in_(in), out_(out) {}
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return {out_, 1, 1}; }
    std::vector<ParamView> param_shapes(const std::string &prefix) const override;
    void bind(float *params, float *grads, float *state) override;
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

private:
    Shape in_;
    int out_;
    float *w_ = nullptr, *b_ = nullptr, *dw_ = nullptr, *db_ = nullptr;
};

} // namespace liandan
