// A model built from the spec: a Sequence of layers plus one flat buffer each for parameters,
// their gradients and state (batchnorm's running statistics), and the activations of every
// layer for up to max_batch samples. Building checks shapes; allocate() takes the memory.
#pragma once
#include <memory>
#include <span>
#include <vector>

#include "nn/sequence.h"
#include "spec.h"
#include "util/rng.h"

namespace liandan {

class ThreadPool;

class Model {
public:
    // Builds the layers and checks every shape (Error names the key); allocates nothing yet.
    Model(const ModelSpec &spec, Shape input);
    // Builds and allocates for max_batch samples on the calling thread (tests, tools).
    Model(const ModelSpec &spec, Shape input, int max_batch);
    Model(const Model &) = delete;
    Model &operator=(const Model &) = delete;
    Model(Model &&) = delete; // layers point into the buffers and the run context

    // Bytes allocate(cap) will take, with optimizer state for `moments` values per parameter.
    double memory_bytes(const Capacity &cap, int moments) const;
    // Multiply-adds of one row's forward pass, about: each layer's weights once per position it
    // outputs (a dense layer's once, a convolution's at every pixel). For budgets, not exact.
    double macs_per_row() const;
    // Takes the buffers; the pool (may be null, else of cap.threads) splits work, seed drives dropout masks.
    void allocate(const Capacity &cap, ThreadPool *pool, uint64_t seed);

    // Fills the parameters by the scheme (seeded); biases 0, batchnorm scale 1 and state reset.
    void init(const InitSpec &init);

    // out [N, O] = model(x [N, I]); n ≤ max_batch. The pointer stays valid until the next forward.
    const float *forward(const float *x, int n, bool training);
    // From d loss / d out [N, O] of the last (training) forward: fills grads().
    void backward(const float *x, const float *dout, int n);

    std::span<float> params() { return params_; }
    std::span<const float> params() const { return params_; }
    std::span<float> grads() { return grads_; }
    std::span<float> state() { return state_; }
    std::span<const float> state() const { return state_; }
    // Every tensor: trainable ones index params(), the others state().
    const std::vector<ParamView> &param_views() const { return views_; }
    // Per thread of `threads`, the ranges of params() it updates: each tensor split by its first
    // axis (output units) as the layers split their work, so gradients are updated where computed.
    std::vector<std::vector<std::pair<size_t, size_t>>> param_shares(int threads) const;

    Shape input_shape() const { return body_.in_shape(); }
    int n_inputs() const { return body_.in_shape().size(); }
    int n_outputs() const { return body_.out_shape().size(); }
    int max_batch() const { return max_batch_; }
    const Sequence &body() const { return body_; }

private:
    Sequence body_;
    std::vector<ParamView> views_;
    std::vector<float> params_, grads_, state_;
    int max_batch_ = 0;
    Rng rng_{1};
    RunContext ctx_;
};

} // namespace liandan
