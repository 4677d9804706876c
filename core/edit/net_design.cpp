// Writing a NetDesign as spec layers and reading it back. A hidden layer is, in order:
// dense(units, activation) or dense(units) + batchnorm(activation); then dropout(rate) if on;
// all wrapped in one residual block when residual is on and the layer keeps its input's width.
#include "edit/net_design.h"

#include <algorithm>

#include "data/toy.h"

namespace liandan {
namespace {

LayerSpec layer(LayerType t, int units = 0, Activation a = Activation::linear) {
    LayerSpec l;
    l.type = t;
    l.units = units;
    l.activation = a;
    return l;
}

// Reads one hidden layer's core at layers[i...] (dense [+ batchnorm] [+ dropout]); advances i.
std::optional<HiddenLayer> read_core(const std::vector<LayerSpec> &layers, size_t &i, bool &bn, double &dropout) {
    if (i >= layers.size() || layers[i].type != LayerType::dense) return std::nullopt;
    HiddenLayer h{layers[i].units, layers[i].activation};
    bn = false;
    dropout = 0;
    ++i;
    if (i < layers.size() && layers[i].type == LayerType::batchnorm) {
        if (h.activation != Activation::linear) return std::nullopt; // bn must follow the linear dense
        h.activation = layers[i].activation;
        bn = true;
        ++i;
    }
    if (i < layers.size() && layers[i].type == LayerType::dropout && layers[i].activation == Activation::linear) {
        dropout = layers[i].rate;
        ++i;
    }
    return h;
}

} // namespace

std::vector<LayerSpec> design_layers(const NetDesign &d, int input_width) {
    std::vector<LayerSpec> out;
    int width = input_width;
    for (const HiddenLayer &h : d.hidden) {
        std::vector<LayerSpec> core;
        if (d.batchnorm) {
            core.push_back(layer(LayerType::dense, h.units));
            core.push_back(layer(LayerType::batchnorm, 0, h.activation));
        } else {
            core.push_back(layer(LayerType::dense, h.units, h.activation));
        }
        if (d.dropout > 0) {
            LayerSpec l = layer(LayerType::dropout);
            l.rate = d.dropout;
            core.push_back(l);
        }
        if (d.residual && width == h.units) {
            LayerSpec r = layer(LayerType::residual);
            r.layers = std::move(core);
            out.push_back(std::move(r));
        } else {
            out.insert(out.end(), core.begin(), core.end());
        }
        width = h.units;
    }
    out.push_back(layer(LayerType::dense, d.outputs));
    return out;
}

std::optional<NetDesign> design_of(const std::vector<LayerSpec> &layers) {
    if (layers.empty() || layers.back().type != LayerType::dense || layers.back().activation != Activation::linear) return std::nullopt;
    NetDesign d;
    d.outputs = layers.back().units;
    bool first = true, any_residual = false, any_plain_same_width = false;
    int width = -1;
    for (size_t i = 0; i + 1 < layers.size();) {
        bool bn = false, wrapped = layers[i].type == LayerType::residual;
        double dropout = 0;
        std::optional<HiddenLayer> h;
        if (wrapped) {
            size_t j = 0;
            h = read_core(layers[i].layers, j, bn, dropout);
            if (!h || j != layers[i].layers.size() || layers[i].activation != Activation::linear) return std::nullopt;
            ++i;
        } else {
            h = read_core(layers, i, bn, dropout);
            if (!h || i >= layers.size()) return std::nullopt;
        }
        if (first) d.batchnorm = bn, d.dropout = dropout;
        else if (bn != d.batchnorm || dropout != d.dropout) return std::nullopt; // the switches are for all layers
        any_residual |= wrapped;
        any_plain_same_width |= !wrapped && width == h->units;
        width = h->units;
        d.hidden.push_back(*h);
        first = false;
    }
    if (any_residual && any_plain_same_width) return std::nullopt; // residual is all or nothing
    d.residual = any_residual;
    return d;
}

int toy_input_width(const Spec &spec) { return int(spec.data.features.size()); }

void fit_output_to_data(Spec &spec) {
    auto &loss = spec.loss.type;
    int classes = 2;
    if (spec.data.source == DataSource::toy) {
        const ToyInfo &info = toy_info(spec.data.toy.shape);
        if (!info.k_classes) spec.data.toy.classes = info.classes;
        classes = spec.data.toy.classes;
        if (info.task == Task::regression) loss = LossType::mse;
    } else if (spec.data.source == DataSource::points && loss != LossType::mse) {
        for (size_t i = 2; i < spec.data.points.size(); i += 3) classes = std::max(classes, int(spec.data.points[i]) + 1);
    }
    // mse on two classes regresses the 0/1 label (TensorFlow Playground's way); k classes need cross-entropy.
    if (classes > 2 && !(spec.data.source == DataSource::toy && toy_info(spec.data.toy.shape).task == Task::regression))
        loss = LossType::cross_entropy;
    else if (loss == LossType::cross_entropy) loss = LossType::bce;
    if (!spec.model.layers.empty()) spec.model.layers.back().units = loss == LossType::cross_entropy ? classes : 1;
    spec.loss.class_weights.clear();
}

} // namespace liandan
