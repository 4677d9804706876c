// The layer interface: forward and backward over batch-major buffers; parameters and state
// (batchnorm's running statistics) are views into the model's flat buffers. Shapes: nn/shapes.h.
#pragma once
#include <string>
#include <vector>

#include "nn/shapes.h"

namespace liandan {

class Rng;
class ThreadPool;

enum class ParamInit { scheme, zeros, ones }; // weights by init.scheme; biases 0; batchnorm scale 1

struct ParamView {
    std::string name;       // safetensors name: layers.<i>.weight / layers.<i>.bias / ...
    std::vector<int> shape; // PyTorch layout
    size_t offset = 0;      // into Model::params() / grads() (trainable) or Model::state()
    size_t size = 0;
    bool trainable = true;  // false: a buffer such as running_mean, saved but not optimized
    ParamInit init = ParamInit::zeros;
    bool int64 = false;     // saved as I64 (batchnorm's num_batches_tracked), held as a float count
};

// How much a model must hold: samples per forward (evaluation chunks), samples per training
// step, and the pool's threads. Layers size their scratch from it once.
struct Capacity {
    int max_batch = 1;
    int train_batch = 1;
    int threads = 1;
};

// What every layer may use while running: the pool to split work over, and the seeded
// generator (dropout masks). Owned by the model.
struct RunContext {
    ThreadPool *pool = nullptr;
    Rng *rng = nullptr;
    bool training = false;
};

class Layer {
public:
    virtual ~Layer() = default;
    virtual Shape in_shape() const = 0;
    virtual Shape out_shape() const = 0;
    int in_size() const { return in_shape().size(); }   // I
    int out_size() const { return out_shape().size(); } // O
    // Parameters and buffers this layer needs, named under prefix ("layers.3."); the model lays
    // them out and calls bind() with pointers to the first of each kind.
    virtual std::vector<ParamView> param_shapes(const std::string &prefix) const { (void)prefix; return {}; }
    virtual void bind(float *params, float *grads, float *state) { (void)params, (void)grads, (void)state; }
    // Scratch for the capacity, allocated once when the model is built, so steps allocate nothing.
    virtual void allocate(const Capacity &cap) { (void)cap; }
    // Floats of scratch allocate(cap) takes (for the memory estimate before allocating).
    virtual size_t scratch_floats(const Capacity &cap) const { (void)cap; return 0; }
    // True when the output is the input's bytes under another shape (flatten): the sequence then
    // passes the input on and the gradient back, without copying either or calling the layer.
    virtual bool same_bytes() const { return false; }
    // y [N, O] = f(x [N, I])
    virtual void forward(const float *x, float *y, int n, RunContext &ctx) = 0;
    // Given x, y of the last forward and dy [N, O]: writes dx [N, I] (if not null) and
    // overwrites this layer's parameter gradients (one backward per step, no accumulation).
    virtual void backward(const float *x, const float *y, const float *dy, float *dx, int n, RunContext &ctx) = 0;
};

} // namespace liandan
