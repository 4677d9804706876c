// The layer interface: forward and backward over batch-major buffers, parameters as views into
// the model's one flat parameter (and gradient) buffer. Shapes: see nn/shapes.h.
#pragma once
#include <string>
#include <vector>

namespace liandan {

struct ParamView {
    std::string name;       // safetensors name: layers.<i>.weight / layers.<i>.bias
    std::vector<int> shape; // PyTorch layout
    size_t offset = 0;      // into Model::params() / Model::grads()
    size_t size = 0;
};

class Layer {
public:
    virtual ~Layer() = default;
    virtual int in_size() const = 0;  // I
    virtual int out_size() const = 0; // O
    // Parameters this layer needs; the model assigns offsets and calls bind() with the buffers.
    virtual std::vector<ParamView> param_shapes(int spec_index) const { (void)spec_index; return {}; }
    virtual void bind(float *params, float *grads) { (void)params; (void)grads; }
    // y [N, O] = f(x [N, I])
    virtual void forward(const float *x, float *y, int n) = 0;
    // Given x, y of the forward pass and dy [N, O]: writes dx [N, I] (if not null) and
    // overwrites this layer's parameter gradients (one backward per step, so no accumulation).
    virtual void backward(const float *x, const float *y, const float *dy, float *dx, int n) = 0;
};

} // namespace liandan
