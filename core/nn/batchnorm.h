// Batch normalization as torch.nn.BatchNorm1d (feature vectors: per feature over the batch) and
// BatchNorm2d (images: per channel over batch, height and width). Training normalizes with the
// batch's statistics and updates the running ones; evaluation uses the running ones.
#pragma once
#include <vector>

#include "nn/layer.h"

namespace liandan {

class BatchNorm final : public Layer {
public:
    BatchNorm(Shape in, double momentum, double eps) : in_(in), momentum_(momentum), eps_(eps) {}
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return in_; }
    std::vector<ParamView> param_shapes(const std::string &prefix) const override;
    void bind(float *params, float *grads, float *state) override;
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override { return size_t(cap.max_batch) * (size_t(in_.size())); }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

private:
    int channels() const { return in_.is_image() ? in_.c : in_.size(); }
    int spatial() const { return in_.is_image() ? in_.h * in_.w : 1; }

    Shape in_;
    double momentum_, eps_;
    float *gamma_ = nullptr, *beta_ = nullptr, *dgamma_ = nullptr, *dbeta_ = nullptr;
    float *running_mean_ = nullptr, *running_var_ = nullptr, *batches_ = nullptr;
    std::vector<float> xhat_;    // [N, I] from the last training forward
    std::vector<float> inv_std_; // [C]
};

} // namespace liandan
