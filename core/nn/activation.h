// Element-wise activations as layers of their own: y = f(x), dx = dy ⊙ f'(x) (from x or y).
#pragma once
#include "nn/layer.h"
#include "spec.h"

namespace liandan {

class ActivationLayer final : public Layer {
public:
    ActivationLayer(Activation kind, int size) : kind_(kind), size_(size) {}
    int in_size() const override { return size_; }
    int out_size() const override { return size_; }
    void forward(const float *x, float *y, int n) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n) override;
    Activation kind() const { return kind_; }

private:
    Activation kind_;
    int size_;
};

// f(x) for one value, shared with views that draw activation curves.
float activate(Activation kind, float x);

} // namespace liandan
