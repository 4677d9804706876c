// Activations as layers of their own: y = f(x), dx = dy ⊙ f'(x) (from x or y). softmax works on
// each sample's whole vector; the others element by element.
#pragma once
#include "nn/layer.h"
#include "spec.h"

namespace liandan {

class ActivationLayer final : public Layer {
public:
    ActivationLayer(Activation kind, Shape shape) : kind_(kind), shape_(shape) {}
    Shape in_shape() const override { return shape_; }
    Shape out_shape() const override { return shape_; }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;
    Activation kind() const { return kind_; }

private:
    Activation kind_;
    Shape shape_;
};

// f(x) for one value of an element-wise activation, shared with views that draw curves.
float activate(Activation kind, float x);

} // namespace liandan
