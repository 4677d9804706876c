// The layer stack editor's model (layer_stack.h): prefixes of the stack are built one layer
// longer at a time, so every layer before a fault still reports its shape and size.
#include "edit/layer_stack.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nn/sequence.h"
#include "train/trainer.h"
#include "util/error.h"

namespace liandan {

namespace {

double layer_param_bytes(const Layer &layer, int moments, int64_t &trainable) {
    double bytes = 0;
    for (const ParamView &v : layer.param_shapes("")) {
        if (v.trainable) trainable += int64_t(v.size);
        bytes += 4.0 * double(v.size) * (v.trainable ? 2 + moments : 1);
    }
    return bytes;
}

std::string activation_suffix(Activation a) { return a == Activation::linear ? "" : std::string(", ") + activation_name(a); }

} // namespace

std::string interface_key_text(const std::string &message) {
    // Inner blocks too: model.layers[2].layers[0] → layer 3, block layer 1. Parsed by hand: std::regex
    // is tens of KB of the page's wasm, whose download before the first frame has a budget.
    static constexpr std::string_view k_key = "model.layers[", k_inner = ".layers[";
    // "digits]" at p: the index, and where it ends (npos if it is not one).
    const auto index_at = [&](size_t p, long long &value) {
        size_t q = p;
        value = 0;
        for (; q < message.size() && std::isdigit(static_cast<unsigned char>(message[q])); ++q)
            value = std::min(value * 10 + (message[q] - '0'), 1000000000LL);
        return q > p && q < message.size() && message[q] == ']' ? q + 1 : std::string::npos;
    };
    std::string out;
    size_t last = 0;
    for (size_t at; (at = message.find(k_key, last)) != std::string::npos;) {
        long long layer = 0;
        size_t p = index_at(at + k_key.size(), layer);
        if (p == std::string::npos) { // "model.layers[" without an index: as it is
            out += message.substr(last, at + k_key.size() - last);
            last = at + k_key.size();
            continue;
        }
        out += message.substr(last, at - last);
        out += "layer " + std::to_string(layer + 1);
        for (long long block = 0; message.compare(p, k_inner.size(), k_inner) == 0;) {
            const size_t q = index_at(p + k_inner.size(), block);
            if (q == std::string::npos) break;
            out += ", block layer " + std::to_string(block + 1);
            p = q;
        }
        if (p < message.size() && message[p] == '.') out += ", ", ++p; // "layer 3, kernel: ..."
        last = p;
    }
    return out + message.substr(last);
}

StackSummary summarize_stack(const std::vector<LayerSpec> &edited, Shape input, int batch, OptimizerType optimizer) {
    StackSummary s;
    // Through the parser first: its bounds (a kernel of 0, a rate of 1) and defaults (a pool's
    // stride is its size) hold for the draft as for any spec.
    std::vector<LayerSpec> layers;
    try {
        Spec spec = default_spec();
        spec.model.layers = edited;
        layers = parse_spec(spec_to_json(spec)).model.layers;
    } catch (const Error &e) {
        const std::string what = e.what();
        const size_t open = what.find("model.layers[");
        s.error_layer = open == 0 ? std::atoi(what.c_str() + 13) : 0;
        s.error = interface_key_text(what);
        return s;
    }
    const Capacity cap{std::max(batch, k_min_eval_batch), batch, 1};
    const int moments = optimizer_moments(optimizer);
    double floats_before = 0;
    size_t entries_before = 0; // a layer with an activation is two entries of the sequence
    for (size_t k = 0; k < layers.size(); ++k) {
        const std::vector<LayerSpec> prefix(layers.begin(), layers.begin() + std::ptrdiff_t(k + 1));
        try {
            const Sequence seq(prefix, input, "model.layers", "layers.");
            StackRow row;
            row.out = seq.out_shape();
            const double floats = double(seq.floats(cap));
            row.bytes = 4.0 * (floats - floats_before);
            for (size_t e = entries_before; e < seq.size(); ++e) row.bytes += layer_param_bytes(seq.layer(e), moments, row.params);
            floats_before = floats;
            entries_before = seq.size();
            s.params += row.params;
            s.bytes += row.bytes;
            s.rows.push_back(row);
        } catch (const Error &e) {
            s.error_layer = int(k);
            s.error = interface_key_text(e.what());
            return s;
        }
    }
    return s;
}

LayerSpec default_layer(LayerType type, Shape in) {
    LayerSpec l;
    l.type = type;
    switch (type) {
    case LayerType::conv2d:
        l.filters = 8, l.kernel = 3, l.stride = 1, l.padding = Padding::same, l.activation = Activation::relu;
        break;
    case LayerType::maxpool:
    case LayerType::avgpool: l.size = l.stride = 2; break;
    case LayerType::dense:
        l.units = 32, l.activation = Activation::relu;
        break;
    case LayerType::dropout: l.rate = 0.25; break;
    case LayerType::batchnorm:
    case LayerType::flatten: break;
    case LayerType::residual: {
        // Two layers that give back the input's shape, the second without activation (added to the input, as in ResNet).
        LayerSpec a = in.is_image() ? default_layer(LayerType::conv2d, in) : default_layer(LayerType::dense, in);
        if (in.is_image()) a.filters = in.c;
        else a.units = in.size();
        LayerSpec b = a;
        b.activation = Activation::linear;
        l.layers = {a, b};
        break;
    }
    }
    return l;
}

std::string layer_settings_text(const LayerSpec &l) {
    char text[128];
    switch (l.type) {
    case LayerType::conv2d:
        std::snprintf(text, sizeof text, "%d filters %d×%d%s, %s%s", l.filters, l.kernel, l.kernel,
                      l.stride > 1 ? (", stride " + std::to_string(l.stride)).c_str() : "", l.padding == Padding::same ? "same" : "valid",
                      activation_suffix(l.activation).c_str());
        return text;
    case LayerType::maxpool:
    case LayerType::avgpool:
        std::snprintf(text, sizeof text, "%d×%d%s", l.size, l.size,
                      l.stride && l.stride != l.size ? (", stride " + std::to_string(l.stride)).c_str() : "");
        return text;
    case LayerType::dense: return std::to_string(l.units) + activation_suffix(l.activation);
    case LayerType::dropout:
        std::snprintf(text, sizeof text, "rate %g", l.rate);
        return text;
    case LayerType::batchnorm: return activation_suffix(l.activation).empty() ? "" : activation_name(l.activation);
    case LayerType::flatten: return "";
    case LayerType::residual: return std::to_string(l.layers.size()) + " layers + the input";
    }
    return "";
}

} // namespace liandan
