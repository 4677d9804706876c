// Layers that only move or mask values: flatten ([C, H, W] -> [C·H·W], the same bytes) and
// inverted dropout (training: keep with probability 1 - rate and scale by 1 / (1 - rate);
// evaluation: identity), as torch.nn.Flatten and torch.nn.Dropout.
#pragma once
#include <cstdint>
#include <vector>

#include "nn/layer.h"

namespace liandan {

class Flatten final : public Layer {
public:
    explicit Flatten(Shape in) : in_(in) {}
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return {in_.size(), 1, 1}; }
    bool same_bytes() const override { return true; }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

private:
    Shape in_;
};

class Dropout final : public Layer {
public:
    Dropout(Shape in, double rate) : in_(in), rate_(float(rate)) {}
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return in_; }
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override { return size_t(cap.max_batch) * (size_t(in_.size())); }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

private:
    Shape in_;
    float rate_;
    std::vector<float> mask_; // [N, I]: 0 or 1 / (1 - rate), from the last training forward
    bool masked_ = false;     // the last forward was a training one
};

} // namespace liandan
