// A sequential model built from the spec: owns one flat parameter buffer, one flat gradient
// buffer and the activations of every layer for up to max_batch samples (allocated once).
#pragma once
#include <memory>
#include <span>
#include <vector>

#include "nn/layer.h"
#include "spec.h"

namespace liandan {

class Model {
public:
    Model(const ModelSpec &spec, int n_inputs, int max_batch);
    Model(const Model &) = delete;
    Model &operator=(const Model &) = delete;
    Model(Model &&) = default; // layers point into params_ and grads_, whose heap buffers move along

    // Fills the parameters by the scheme (seeded); biases start at zero.
    void init(const InitSpec &init);

    // out [N, O] = model(x [N, I]); n ≤ max_batch. The pointer stays valid until the next forward.
    const float *forward(const float *x, int n);
    // From d loss / d out [N, O]: fills grads() for the last forward's batch.
    void backward(const float *x, const float *dout, int n);

    std::span<float> params() { return params_; }
    std::span<const float> params() const { return params_; }
    std::span<float> grads() { return grads_; }
    const std::vector<ParamView> &param_views() const { return views_; }

    int n_inputs() const { return n_inputs_; }
    int n_outputs() const { return layers_.back()->out_size(); }
    int max_batch() const { return max_batch_; }
    size_t n_layers() const { return layers_.size(); }
    const Layer &layer(size_t i) const { return *layers_[i]; }
    // Output of layer i for the last forward: [N, out_size(i)]
    const float *activations(size_t i) const { return acts_[i + 1].data(); }
    int spec_index(size_t i) const { return spec_index_[i]; } // the spec layer entry i was built from

private:
    int n_inputs_, max_batch_;
    std::vector<std::unique_ptr<Layer>> layers_; // dense and activation layers, in order
    std::vector<int> spec_index_;                // spec layer each entry comes from
    std::vector<float> params_, grads_;
    std::vector<ParamView> views_;
    std::vector<std::vector<float>> acts_;  // acts_[0] unused (input is the caller's), acts_[i+1] = out of layer i
    std::vector<std::vector<float>> dacts_; // dacts_[i] = d loss / d input of layer i
};

} // namespace liandan
