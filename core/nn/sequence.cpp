// Sequence: the layer factory with its shape checks, parameter layout and the forward/backward
// chain. Residual lives here too, as it is a Sequence with a skip connection.
#include "nn/sequence.h"

#include <algorithm>

#include "nn/activation.h"
#include "nn/batchnorm.h"
#include "nn/conv2d.h"
#include "nn/dense.h"
#include "nn/pool.h"
#include "nn/reshape.h"
#include "nn/residual.h"
#include "util/error.h"

namespace liandan {
namespace {

std::unique_ptr<Layer> make_layer(const LayerSpec &s, Shape in, const std::string &key, const std::string &name_prefix) {
    const std::string type = layer_type_name(s.type);
    auto need_image = [&] {
        if (!in.is_image())
            throw Error(key, type + " needs an image input [C, H, W], but its input is " + in.text());
    };
    switch (s.type) {
    case LayerType::dense: return std::make_unique<Dense>(in, s.units);
    case LayerType::conv2d: {
        need_image();
        const bool same = s.padding == Padding::same;
        if (!same && (s.kernel > in.h || s.kernel > in.w))
            throw Error(key + ".kernel", std::to_string(s.kernel) + " is larger than the input " + std::to_string(in.h) + "×" +
                                             std::to_string(in.w) + " (use padding 'same' or a smaller kernel)");
        return std::make_unique<Conv2d>(in, s.filters, s.kernel, s.stride, same);
    }
    case LayerType::maxpool:
    case LayerType::avgpool:
        need_image();
        if (s.size > in.h || s.size > in.w)
            throw Error(key + ".size", std::to_string(s.size) + " is larger than the input " + std::to_string(in.h) + "×" + std::to_string(in.w));
        return std::make_unique<Pool2d>(in, s.size, s.stride, s.type == LayerType::maxpool);
    case LayerType::flatten: return std::make_unique<Flatten>(in);
    case LayerType::dropout: return std::make_unique<Dropout>(in, s.rate);
    case LayerType::batchnorm: return std::make_unique<BatchNorm>(in, s.momentum, s.eps);
    case LayerType::residual: return std::make_unique<Residual>(s.layers, in, key, name_prefix);
    }
    return nullptr;
}

} // namespace

Sequence::Sequence(const std::vector<LayerSpec> &specs, Shape in, const std::string &key_prefix, const std::string &name_prefix)
    : in_(in) {
    Shape shape = in;
    for (size_t i = 0; i < specs.size(); ++i) {
        const std::string key = key_prefix + "[" + std::to_string(i) + "]";
        const std::string prefix = name_prefix + std::to_string(i) + ".";
        auto layer = make_layer(specs[i], shape, key, prefix);
        shape = layer->out_shape();
        if (shape.size() < 1) throw Error(key, "leaves no values (its output is empty)");
        entries_.push_back({std::move(layer), key, prefix, {}, {}});
        if (specs[i].activation != Activation::linear)
            entries_.push_back({std::make_unique<ActivationLayer>(specs[i].activation, shape), key, prefix, {}, {}});
    }
    bool any = false;
    for (Entry &e : entries_) {
        e.params_before = any;
        for (const ParamView &v : e.layer->param_shapes(e.prefix)) any = any || v.trainable;
    }
}

std::vector<ParamView> Sequence::param_shapes() const {
    // Layers give offsets relative to their own first parameter (and first state value); shift
    // them to where bind() puts the layer.
    std::vector<ParamView> all;
    size_t base_params = 0, base_state = 0;
    for (const Entry &e : entries_) {
        size_t params = 0, state = 0;
        for (ParamView v : e.layer->param_shapes(e.prefix)) {
            v.offset += v.trainable ? base_params : base_state;
            (v.trainable ? params : state) += v.size;
            all.push_back(v);
        }
        base_params += params;
        base_state += state;
    }
    return all;
}

void Sequence::bind(float *params, float *grads, float *state) {
    for (Entry &e : entries_) {
        std::vector<ParamView> views = e.layer->param_shapes(e.prefix);
        if (views.empty()) continue;
        e.layer->bind(params, grads, state);
        size_t trainable = 0, rest = 0;
        for (auto &v : views) (v.trainable ? trainable : rest) += v.size;
        params += trainable;
        grads += trainable;
        state += rest;
    }
}

void Sequence::allocate(const Capacity &cap) {
    for (Entry &e : entries_) {
        if (e.layer->same_bytes()) continue;
        e.out.assign(size_t(cap.max_batch) * e.layer->out_size(), 0.0f);
        e.din.assign(size_t(cap.train_batch) * e.layer->in_size(), 0.0f); // gradients only flow in training
        e.layer->allocate(cap);
    }
}

size_t Sequence::floats(const Capacity &cap) const {
    size_t n = 0;
    for (const Entry &e : entries_)
        if (!e.layer->same_bytes())
            n += size_t(cap.max_batch) * e.layer->out_size() + size_t(cap.train_batch) * e.layer->in_size() + e.layer->scratch_floats(cap);
    return n;
}

const float *Sequence::forward(const float *x, int n, RunContext &ctx) {
    const float *in = x;
    for (Entry &e : entries_) {
        if (!e.layer->same_bytes()) e.layer->forward(in, e.out.data(), n, ctx);
        e.last_out = e.layer->same_bytes() ? in : e.out.data();
        in = e.last_out;
    }
    return in;
}

void Sequence::backward(const float *x, const float *dout, float *dx, int n, RunContext &ctx) {
    const float *dy = dout;
    for (size_t l = entries_.size(); l-- > 0;) {
        Entry &e = entries_[l];
        const float *in = l == 0 ? x : entries_[l - 1].last_out;
        // The gradient w.r.t. this entry's input is only needed by parameters further back (or
        // by the caller): the first dense layer after a flatten skips its dX = dY · W entirely.
        const bool needed = l == 0 ? dx != nullptr : e.params_before || dx;
        if (!needed) {
            e.layer->backward(in, e.last_out, dy, nullptr, n, ctx);
            break; // nothing earlier has parameters or is asked for
        }
        if (e.layer->same_bytes()) { // the gradient passes through as it is
            if (l == 0) std::copy_n(dy, size_t(n) * e.layer->in_size(), dx);
            continue;
        }
        float *d_in = l == 0 ? dx : e.din.data();
        e.layer->backward(in, e.last_out, dy, d_in, n, ctx);
        dy = d_in;
    }
}

Residual::Residual(const std::vector<LayerSpec> &body, Shape in, const std::string &key, const std::string &name_prefix)
    : body_(body, in, key + ".layers", name_prefix + "layers.") {
    if (!(body_.out_shape() == in))
        throw Error(key, "the block's layers turn " + in.text() + " into " + body_.out_shape().text() +
                             "; a residual block must give back its input's shape");
}

std::vector<ParamView> Residual::param_shapes(const std::string &) const { return body_.param_shapes(); }

void Residual::allocate(const Capacity &cap) {
    body_.allocate(cap);
    dbody_.assign(size_t(cap.train_batch) * body_.in_shape().size(), 0.0f);
}

void Residual::forward(const float *x, float *y, int n, RunContext &ctx) {
    const float *b = body_.forward(x, n, ctx);
    // y = x + body(x)
    for (size_t i = 0; i < size_t(n) * in_size(); ++i) y[i] = x[i] + b[i];
}

void Residual::backward(const float *x, const float *, const float *dy, float *dx, int n, RunContext &ctx) {
    body_.backward(x, dy, dx ? dbody_.data() : nullptr, n, ctx);
    // dx = dy + d body / dx
    if (dx)
        for (size_t i = 0; i < size_t(n) * in_size(); ++i) dx[i] = dy[i] + dbody_[i];
}

} // namespace liandan
