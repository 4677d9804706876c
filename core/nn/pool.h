// Max and average pooling over size × size windows with a stride, no padding, floor mode
// (torch.nn.MaxPool2d / AvgPool2d defaults). Max remembers where each maximum came from.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/pool.h"
#include "nn/layer.h"

namespace liandan {

class Pool2d final : public Layer {
public:
    Pool2d(Shape in, int size, int stride, bool max);
    Shape in_shape() const override { return in_; }
    Shape out_shape() const override { return out_; }
    void allocate(const Capacity &cap) override;
    size_t scratch_floats(const Capacity &cap) const override { return size_t(cap.max_batch) * (max_ ? size_t(out_.size()) : 0); }
    void forward(const float *x, float *y, int n, RunContext &ctx) override;
    void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) override;

private:
    Shape in_, out_;
    bool max_;
    PoolGeometry geom_; // window size and stride, for the pooling kernels
    std::vector<int32_t> argmax_; // [N, C, OH, OW]: index into the sample's [C, H, W]
};

} // namespace liandan
