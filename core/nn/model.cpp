// Model assembly, initialization and the forward/backward chain.
#include "nn/model.h"

#include <cmath>

#include "nn/activation.h"
#include "nn/dense.h"
#include "util/rng.h"

namespace liandan {

Model::Model(const ModelSpec &spec, int n_inputs, int max_batch) : n_inputs_(n_inputs), max_batch_(max_batch) {
    int width = n_inputs;
    for (size_t i = 0; i < spec.layers.size(); ++i) {
        const LayerSpec &ls = spec.layers[i];
        layers_.push_back(std::make_unique<Dense>(width, ls.units));
        spec_index_.push_back(static_cast<int>(i));
        width = ls.units;
        if (ls.activation != Activation::linear) {
            layers_.push_back(std::make_unique<ActivationLayer>(ls.activation, width));
            spec_index_.push_back(static_cast<int>(i));
        }
    }
    // Lay all parameters out in one buffer, in layer order, so optimizers and snapshots see one span.
    for (size_t l = 0; l < layers_.size(); ++l)
        for (ParamView v : layers_[l]->param_shapes(spec_index_[l])) {
            v.offset = views_.empty() ? 0 : views_.back().offset + views_.back().size;
            views_.push_back(v);
        }
    size_t total = views_.empty() ? 0 : views_.back().offset + views_.back().size;
    params_.assign(total, 0.0f);
    grads_.assign(total, 0.0f);
    size_t offset = 0;
    for (auto &layer : layers_) {
        size_t size = 0;
        for (const ParamView &v : layer->param_shapes(0)) size += v.size;
        if (size) layer->bind(params_.data() + offset, grads_.data() + offset);
        offset += size;
    }
    acts_.resize(layers_.size() + 1);
    dacts_.resize(layers_.size() + 1);
    for (size_t l = 0; l < layers_.size(); ++l) {
        acts_[l + 1].assign(size_t(max_batch) * layers_[l]->out_size(), 0.0f);
        dacts_[l].assign(size_t(max_batch) * layers_[l]->in_size(), 0.0f);
    }
}

void Model::init(const InitSpec &init) {
    Rng rng(init.seed, 0x1417u);
    for (const ParamView &v : views_) {
        float *p = params_.data() + v.offset;
        if (v.shape.size() < 2) { // biases start at zero, as in most references
            std::fill(p, p + v.size, 0.0f);
            continue;
        }
        double fan_out = v.shape[0], fan_in = double(v.size) / v.shape[0];
        for (size_t k = 0; k < v.size; ++k) {
            double w = 0;
            switch (init.scheme) {
            case InitScheme::he: w = rng.normal() * std::sqrt(2.0 / fan_in); break;
            case InitScheme::xavier: {
                double a = std::sqrt(6.0 / (fan_in + fan_out));
                w = rng.uniform(-a, a);
                break;
            }
            case InitScheme::lecun: w = rng.normal() * std::sqrt(1.0 / fan_in); break;
            case InitScheme::normal: w = rng.normal() * 0.01; break;
            case InitScheme::zeros: w = 0; break;
            }
            p[k] = static_cast<float>(w);
        }
    }
}

const float *Model::forward(const float *x, int n) {
    const float *in = x;
    for (size_t l = 0; l < layers_.size(); ++l) {
        layers_[l]->forward(in, acts_[l + 1].data(), n);
        in = acts_[l + 1].data();
    }
    return in;
}

void Model::backward(const float *x, const float *dout, int n) {
    const float *dy = dout;
    for (size_t l = layers_.size(); l-- > 0;) {
        const float *in = l == 0 ? x : acts_[l].data();
        float *dx = l == 0 ? nullptr : dacts_[l].data();
        layers_[l]->backward(in, acts_[l + 1].data(), dy, dx, n);
        dy = dx;
    }
}

} // namespace liandan
