// A chain of layers built from spec entries: the body of a Model and of every residual block.
// Building checks shapes and names the spec key at fault; buffers come later (allocate), so a
// network can be measured and refused before any memory is taken.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/layer.h"
#include "spec.h"

namespace liandan {

class Sequence {
public:
    // key_prefix names entries in errors ("model.layers"); name_prefix names tensors ("layers.").
    Sequence(const std::vector<LayerSpec> &specs, Shape in, const std::string &key_prefix, const std::string &name_prefix);

    Shape in_shape() const { return in_; }
    Shape out_shape() const { return entries_.empty() ? in_ : entries_.back().layer->out_shape(); }
    // Parameters (offsets into the trainable buffer) and state (offsets into the state buffer), in order.
    std::vector<ParamView> param_shapes() const;
    void bind(float *params, float *grads, float *state);
    void allocate(const Capacity &cap);
    // Floats this sequence holds once allocated for cap (activations, their gradients, scratch).
    size_t floats(const Capacity &cap) const;

    const float *forward(const float *x, int n, RunContext &ctx);
    // Fills parameter gradients; writes dx [N, I] when not null.
    void backward(const float *x, const float *dout, float *dx, int n, RunContext &ctx);

    size_t size() const { return entries_.size(); }
    const Layer &layer(size_t i) const { return *entries_[i].layer; }
    const std::string &key(size_t i) const { return entries_[i].key; }
    const float *output(size_t i) const { return entries_[i].last_out; } // of the last forward

private:
    struct Entry {
        std::unique_ptr<Layer> layer;
        std::string key;             // "model.layers[3]", for messages
        std::string prefix;          // "layers.3.", for tensor names
        std::vector<float> out, din; // [N, O] output, [N, I] gradient w.r.t. its input (none when same_bytes)
        const float *last_out = nullptr; // the last forward's output: out, or the input of a same_bytes layer
        bool params_before = false;  // some earlier entry has trainable parameters
    };
    Shape in_;
    std::vector<Entry> entries_;
};

} // namespace liandan
