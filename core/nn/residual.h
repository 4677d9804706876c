// A residual block: y = x + body(x), the body a Sequence whose output shape equals its input's.
#pragma once
#include "nn/sequence.h"

namespace liandan {

class Residual final : public Layer {
public:
    Residual(const std::vector<LayerSpec> &body, Shape in, const std::string &key, const std::string &name_prefix);
    Shape in_shape() const override { return body_.in_shape(); }
    Shape out_shape() const override { return body_.in_shape(); }
    std::vector<ParamView> param_shapes(const std::string &prefix) const override;
    void bind(float *params, float *grads, float *state) override { body_.bind(params, grads, state); }
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override { return body_.floats(cap) + size_t(cap.max_batch) * body_.in_shape().size(); }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;
    const Sequence &body() const { return body_; } // for messages that name an inner layer

private:
    Sequence body_;
    std::vector<float> dbody_; // [N, I] gradient the body passes back to the block's input
};

} // namespace liandan
