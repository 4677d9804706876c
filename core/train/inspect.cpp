// Inspection of a model for the playground's views: neuron maps from forward passes over a grid
// of the plane, unit health from a probe batch of training rows, gradient and weight statistics
// from the parameter buffers.
#include "train/inspect.h"

#include <algorithm>
#include <cmath>

#include "loss/loss.h"
#include "train/trainer.h"

namespace liandan {
namespace {

// Rows of the training split used to count dead and saturated units.
constexpr int k_probe_rows = 256;
// A unit is saturated when this share of probe rows sits within k_saturation_margin of a bound.
constexpr double k_saturated_share = 0.9;
constexpr float k_saturation_margin = 0.02f;

// The entry of the model's body that ends spec layer i (its activation if it has one).
int last_entry_of(const Sequence &body, int layer) {
    const std::string key = "model.layers[" + std::to_string(layer) + "]";
    int found = -1;
    for (size_t e = 0; e < body.size(); ++e)
        if (body.key(e) == key) found = int(e);
    return found;
}

std::string column_label(const LayerSpec &l, int units) {
    std::string s = layer_type_name(l.type);
    if (l.type == LayerType::dense || l.type == LayerType::residual) s += " " + std::to_string(units);
    if (l.activation != Activation::linear) s += std::string(" ") + activation_name(l.activation);
    return s;
}

const ParamView *find_view(const Model &m, const std::string &name) {
    for (const ParamView &v : m.param_views())
        if (v.name == name) return &v;
    return nullptr;
}

// Dead: never above zero on any probe row (relu). Saturated: pinned near a bound of a squashing
// activation on most rows. Other activations have neither notion (-1). Counted over chunks of
// probe rows: active[u] and pinned[u] gather what each chunk shows.
void tally_unit_health(const NeuronColumn &c, const float *out, int n, std::vector<char> &active, std::vector<int> &pinned) {
    const int U = c.units;
    if (c.activation == Activation::relu)
        for (int u = 0; u < U; ++u)
            for (int r = 0; r < n && !active[size_t(u)]; ++r) active[size_t(u)] = out[size_t(r) * U + u] > 0;
    if (c.activation == Activation::tanh || c.activation == Activation::sigmoid) {
        const float lo = c.activation == Activation::tanh ? -1.0f : 0.0f, hi = 1.0f;
        for (int u = 0; u < U; ++u)
            for (int r = 0; r < n; ++r) {
                float v = out[size_t(r) * U + u];
                pinned[size_t(u)] += v <= lo + k_saturation_margin || v >= hi - k_saturation_margin;
            }
    }
}

void count_unit_health(NeuronColumn &c, const std::vector<char> &active, const std::vector<int> &pinned, int n) {
    if (c.activation == Activation::relu) c.dead = int(std::count(active.begin(), active.end(), 0));
    if (c.activation == Activation::tanh || c.activation == Activation::sigmoid) {
        c.saturated = 0;
        for (int p : pinned) c.saturated += n > 0 && p >= k_saturated_share * n;
    }
}

} // namespace

int neuron_map_size(int total_units) {
    int m = 32;
    while (m > 8 && double(total_units) * m * m > 1.0e6) m -= 4;
    return m;
}

InspectionBuilder::InspectionBuilder(Trainer &trainer, int map_size, const std::vector<float> &map_inputs)
    : trainer_(trainer), map_inputs_(map_inputs) {
    Model &model = trainer.model();
    const Spec &spec = trainer.spec();
    const Dataset &data = trainer.data();
    const Sequence &body = model.body();
    const int F = data.n_features;

    // Columns: the features (plane data only), then every top-level layer with a vector output.
    if (data.toy) {
        NeuronColumn c;
        c.label = "features";
        c.units = F;
        c.unit_names = data.feature_names;
        out_.columns.push_back(std::move(c));
        entry_of_column_.push_back(-1);
    }
    for (size_t i = 0; i < spec.model.layers.size(); ++i) {
        const int e = last_entry_of(body, int(i));
        if (e < 0 || body.layer(size_t(e)).out_shape().is_image()) continue;
        const LayerSpec &l = spec.model.layers[i];
        // Batchnorm and dropout after a layer belong to its column: the units are the same, and
        // the picture shows what the next layer receives.
        const bool follows = l.type == LayerType::batchnorm || l.type == LayerType::dropout;
        if (follows && out_.columns.size() > (data.toy ? 1u : 0u) && out_.columns.back().units == body.layer(size_t(e)).out_size()) {
            NeuronColumn &c = out_.columns.back();
            c.label += l.type == LayerType::batchnorm ? " +bn" : " +dropout";
            if (l.activation != Activation::linear) {
                c.activation = l.activation;
                c.label += std::string(" ") + activation_name(l.activation);
            }
            entry_of_column_.back() = e;
            continue;
        }
        NeuronColumn c;
        c.layer = int(i);
        c.units = body.layer(size_t(e)).out_size();
        c.activation = l.activation;
        c.label = column_label(l, c.units);
        // A residual block's lines are its first layer's weights (y = x + f(W·x + b)).
        const bool residual_dense = l.type == LayerType::residual && !l.layers.empty() && l.layers[0].type == LayerType::dense;
        const std::string prefix = "layers." + std::to_string(i) + (residual_dense ? ".layers.0." : ".");
        const ParamView *w = find_view(model, prefix + "weight"), *b = find_view(model, prefix + "bias");
        if ((l.type == LayerType::dense || residual_dense) && w && b) {
            c.weight_offset = long(w->offset);
            c.bias_offset = long(b->offset);
            c.fan_in = w->shape.size() == 2 ? w->shape[1] : 0;
        }
        out_.columns.push_back(std::move(c));
        entry_of_column_.push_back(e);
    }

    cells_ = map_size * map_size;
    if (data.toy && map_size > 0 && map_inputs.size() == size_t(cells_) * F) {
        out_.map_size = map_size;
        for (NeuronColumn &c : out_.columns) c.maps.assign(size_t(c.units) * cells_, 0.0f);
        NeuronColumn &features = out_.columns[0];
        for (int p = 0; p < cells_; ++p)
            for (int f = 0; f < F; ++f) features.maps[size_t(f) * cells_ + p] = map_inputs[size_t(p) * F + f];
    } else {
        cells_ = 0;
    }
    probe_rows_ = std::min({k_probe_rows, data.train.n, model.max_batch()});
    for (const NeuronColumn &c : out_.columns) {
        active_.emplace_back(size_t(c.units), char(0));
        pinned_.emplace_back(size_t(c.units), 0);
    }
}

bool InspectionBuilder::advance(int max_rows) {
    Model &model = trainer_.model();
    const Sequence &body = model.body();
    const int F = trainer_.data().n_features;
    const int rows = std::clamp(max_rows, 1, model.max_batch());
    switch (stage_) {
    case Stage::maps: // forward a chunk of the grid and gather each column's outputs per unit
        if (row_ < cells_) {
            const int first = row_, n = std::min(rows, cells_ - first);
            model.forward(map_inputs_.data() + size_t(first) * F, n, false);
            for (size_t k = 1; k < out_.columns.size(); ++k) {
                NeuronColumn &c = out_.columns[k];
                const float *y = body.output(size_t(entry_of_column_[k])); // [n, U]
                for (int r = 0; r < n; ++r)
                    for (int u = 0; u < c.units; ++u) c.maps[size_t(u) * cells_ + first + r] = y[size_t(r) * c.units + u];
            }
            row_ += n;
            return false;
        }
        for (NeuronColumn &c : out_.columns) {
            auto [lo, hi] = std::minmax_element(c.maps.begin(), c.maps.end());
            if (lo != c.maps.end()) c.lo = *lo, c.hi = *hi;
        }
        stage_ = Stage::health, row_ = 0;
        return false;
    case Stage::health: // unit health on the first training rows, in evaluation mode
        if (row_ < probe_rows_) {
            const int first = row_, n = std::min(rows, probe_rows_ - first);
            model.forward(trainer_.data().train.x.data() + size_t(first) * F, n, false);
            for (size_t k = 0; k < out_.columns.size(); ++k)
                if (entry_of_column_[k] >= 0) tally_unit_health(out_.columns[k], body.output(size_t(entry_of_column_[k])), n, active_[k], pinned_[k]);
            row_ += n;
            return false;
        }
        if (probe_rows_ > 0)
            for (size_t k = 0; k < out_.columns.size(); ++k)
                if (entry_of_column_[k] >= 0) count_unit_health(out_.columns[k], active_[k], pinned_[k], probe_rows_);
        stage_ = Stage::stats, layer_ = 0;
        return false;
    case Stage::stats: { // one layer's gradient and weight statistics (the gradient of the last step)
        const Spec &spec = trainer_.spec();
        if (layer_ >= spec.model.layers.size()) {
            stage_ = Stage::done;
            return true;
        }
        const size_t i = layer_++;
        const std::string prefix = "layers." + std::to_string(i) + ".";
        const ParamView *w = find_view(model, prefix + "weight");
        if (!w || !w->trainable) return false;
        auto params = model.params();
        auto grads = model.grads();
        LayerStats s;
        s.name = "layers." + std::to_string(i);
        double g2 = 0, w2 = 0;
        for (const ParamView *v : {w, find_view(model, prefix + "bias")}) {
            if (!v || !v->trainable) continue;
            for (size_t j = v->offset; j < v->offset + v->size; ++j) g2 += double(grads[j]) * grads[j];
        }
        float lo = 0, hi = 0;
        for (size_t j = w->offset; j < w->offset + w->size; ++j) {
            w2 += double(params[j]) * params[j];
            lo = std::min(lo, params[j]);
            hi = std::max(hi, params[j]);
        }
        const float m = std::max({-lo, hi, 1e-6f}); // symmetric, so zero sits in the middle
        s.hist_lo = -m;
        s.hist_hi = m;
        s.histogram.assign(k_hist_bins, 0);
        for (size_t j = w->offset; j < w->offset + w->size; ++j) {
            int b = int((params[j] + m) / (2 * m) * k_hist_bins);
            ++s.histogram[size_t(std::clamp(b, 0, k_hist_bins - 1))];
        }
        s.grad_norm = std::sqrt(g2);
        s.weight_norm = std::sqrt(w2);
        out_.layers.push_back(std::move(s));
        return false;
    }
    case Stage::done: return true;
    }
    return true;
}

Inspection inspect(Trainer &trainer, int map_size, const std::vector<float> &map_inputs) {
    InspectionBuilder b(trainer, map_size, map_inputs);
    while (!b.advance(trainer.model().max_batch())) {}
    return b.take();
}

Probe probe_network(Trainer &trainer, uint64_t id, const std::vector<float> &input) {
    Probe p;
    p.id = id;
    p.input = input;
    Model &model = trainer.model();
    const Dataset &d = trainer.data();
    const float *out = model.forward(input.data(), 1, false);
    if (d.task == Task::classification && d.n_classes > 0) {
        p.probabilities.resize(size_t(d.n_classes));
        class_probabilities(trainer.spec().loss.type, out, model.n_outputs(), d.n_classes, p.probabilities.data());
    }
    const Sequence &body = model.body();
    for (size_t i = 0; i < trainer.spec().model.layers.size(); ++i) {
        const int e = last_entry_of(body, int(i));
        if (e < 0) continue;
        const Shape shape = body.layer(size_t(e)).out_shape();
        const float *y = body.output(size_t(e));
        p.layers.push_back({int(i), shape, std::vector<float>(y, y + shape.size())});
    }
    return p;
}

} // namespace liandan
