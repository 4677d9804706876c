// Spec parsing, validation and printing. A small Reader walks the JSON with the current path so
// every refusal names its key; leftover keys are refused as unknown.
#include "spec.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "data/toy.h"
#include "util/error.h"

namespace liandan {
using json = nlohmann::json;

namespace {

template <class E> struct EnumName {
    E value;
    const char *name;
};
constexpr EnumName<Activation> k_activations[] = {
    {Activation::linear, "linear"}, {Activation::relu, "relu"}, {Activation::leaky_relu, "leaky_relu"},
    {Activation::elu, "elu"},       {Activation::gelu, "gelu"}, {Activation::sigmoid, "sigmoid"},
    {Activation::tanh, "tanh"}};
constexpr EnumName<LossType> k_losses[] = {
    {LossType::mse, "mse"}, {LossType::bce, "bce"}, {LossType::cross_entropy, "cross_entropy"}};
constexpr EnumName<InitScheme> k_inits[] = {{InitScheme::he, "he"},
                                            {InitScheme::xavier, "xavier"},
                                            {InitScheme::lecun, "lecun"},
                                            {InitScheme::normal, "normal"},
                                            {InitScheme::zeros, "zeros"}};

std::string type_name(const json &v) {
    switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
    }
}

std::string format_number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// Reads one JSON object, remembering which keys were consumed so finish() can refuse the rest.
class Reader {
public:
    Reader(const json &j, std::string path) : j_(j), path_(std::move(path)) {
        if (!j_.is_object()) throw Error(path_.empty() ? "spec" : path_, "must be an object, not " + type_name(j_));
    }
    std::string key_path(const std::string &key) const { return path_.empty() ? key : path_ + "." + key; }
    bool has(const std::string &key) const { return j_.contains(key); }

    const json *get(const std::string &key) {
        used_.insert(key);
        auto it = j_.find(key);
        return it == j_.end() ? nullptr : &*it;
    }
    double number(const std::string &key, double fallback, double lo, double hi) {
        const json *v = get(key);
        if (!v) return fallback;
        if (!v->is_number()) throw Error(key_path(key), "must be a number, not " + type_name(*v));
        double x = v->get<double>();
        check_range(key, x, lo, hi);
        return x;
    }
    int64_t integer(const std::string &key, int64_t fallback, int64_t lo, int64_t hi) {
        const json *v = get(key);
        if (!v) return fallback;
        if (!v->is_number()) throw Error(key_path(key), "must be an integer, not " + type_name(*v));
        double x = v->get<double>();
        if (std::floor(x) != x) throw Error(key_path(key), "must be an integer, not " + format_number(x));
        check_range(key, x, static_cast<double>(lo), static_cast<double>(hi));
        return static_cast<int64_t>(x);
    }
    bool boolean(const std::string &key, bool fallback) {
        const json *v = get(key);
        if (!v) return fallback;
        if (!v->is_boolean()) throw Error(key_path(key), "must be true or false, not " + type_name(*v));
        return v->get<bool>();
    }
    std::string choice(const std::string &key, const std::string &fallback, const std::vector<std::string> &options) {
        const json *v = get(key);
        if (!v) return fallback;
        if (!v->is_string()) throw Error(key_path(key), "must be a string, not " + type_name(*v));
        auto s = v->get<std::string>();
        if (std::find(options.begin(), options.end(), s) == options.end()) {
            std::string list;
            for (auto &o : options) list += (list.empty() ? "" : ", ") + o;
            throw Error(key_path(key), "'" + s + "' is not one of " + list);
        }
        return s;
    }
    template <class E, size_t K> E enumeration(const std::string &key, E fallback, const EnumName<E> (&table)[K]) {
        std::vector<std::string> names;
        std::string fallback_name;
        for (auto &e : table) {
            names.push_back(e.name);
            if (e.value == fallback) fallback_name = e.name;
        }
        auto s = choice(key, fallback_name, names);
        for (auto &e : table)
            if (s == e.name) return e.value;
        return fallback;
    }
    Reader object(const std::string &key) {
        const json *v = get(key);
        static const json empty = json::object();
        return Reader(v ? *v : empty, key_path(key));
    }
    const json &array(const std::string &key) {
        const json *v = get(key);
        static const json empty = json::array();
        if (!v) return empty;
        if (!v->is_array()) throw Error(key_path(key), "must be an array, not " + type_name(*v));
        return *v;
    }
    void finish() const {
        for (auto &[key, value] : j_.items())
            if (!used_.count(key)) throw Error(key_path(key), "unknown key");
    }

private:
    void check_range(const std::string &key, double x, double lo, double hi) const {
        if (!std::isfinite(x)) throw Error(key_path(key), "must be finite");
        if (x < lo) throw Error(key_path(key), format_number(x) + " is below the minimum " + format_number(lo));
        if (x > hi) throw Error(key_path(key), format_number(x) + " is above the maximum " + format_number(hi));
    }
    const json &j_;
    std::string path_;
    std::set<std::string> used_;
};

template <class E, size_t K> const char *name_of(E value, const EnumName<E> (&table)[K]) {
    for (auto &e : table)
        if (e.value == value) return e.name;
    return "?";
}

const std::vector<std::string> k_features = {"x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"};

DataSpec parse_data(Reader r) {
    DataSpec d;
    d.source = r.choice("source", d.source, {"toy"});
    {
        Reader t = r.object("toy");
        d.toy.shape = t.choice("shape", d.toy.shape, toy_shape_names());
        d.toy.n = static_cast<int>(t.integer("n", d.toy.n, 4, 1000000));
        d.toy.noise = t.number("noise", d.toy.noise, 0.0, 1.0);
        d.toy.seed = static_cast<uint64_t>(t.integer("seed", 1, 0, 1LL << 53));
        t.finish();
    }
    const json &features = r.array("features");
    if (r.has("features")) {
        d.features.clear();
        std::set<std::string> seen;
        for (size_t i = 0; i < features.size(); ++i) {
            std::string key = r.key_path("features") + "[" + std::to_string(i) + "]";
            if (!features[i].is_string()) throw Error(key, "must be a string, not " + type_name(features[i]));
            auto f = features[i].get<std::string>();
            if (std::find(k_features.begin(), k_features.end(), f) == k_features.end())
                throw Error(key, "'" + f + "' is not one of x, y, x2, y2, xy, sinx, siny, cosx, cosy");
            if (!seen.insert(f).second) throw Error(key, "'" + f + "' is listed twice");
            d.features.push_back(f);
        }
        if (d.features.empty()) throw Error(r.key_path("features"), "needs at least one feature");
    }
    d.test_fraction = r.number("test_fraction", d.test_fraction, 0.0, 0.9);
    d.normalize = r.choice("normalize", d.normalize, {"none", "standard", "minmax"});
    d.shuffle = r.boolean("shuffle", d.shuffle);
    r.finish();
    return d;
}

ModelSpec parse_model(Reader r) {
    ModelSpec m;
    const json &input = r.array("input");
    for (size_t i = 0; i < input.size(); ++i) {
        std::string key = r.key_path("input") + "[" + std::to_string(i) + "]";
        if (!input[i].is_number_integer() || input[i].get<int64_t>() < 1 || input[i].get<int64_t>() > 1000000)
            throw Error(key, "must be an integer from 1 to 1000000");
        m.input.push_back(input[i].get<int>());
    }
    const json &layers = r.array("layers");
    if (!r.has("layers")) { // no layers: the default network
        m.layers = default_spec().model.layers;
        r.finish();
        return m;
    }
    if (layers.empty()) throw Error(r.key_path("layers"), "needs at least one layer");
    if (layers.size() > 256) throw Error(r.key_path("layers"), "has " + std::to_string(layers.size()) + " layers; the maximum is 256");
    for (size_t i = 0; i < layers.size(); ++i) {
        Reader l(layers[i], r.key_path("layers") + "[" + std::to_string(i) + "]");
        LayerSpec ls;
        ls.type = l.choice("type", "dense", {"dense"});
        if (!l.has("units")) throw Error(l.key_path("units"), "is required for a dense layer");
        ls.units = static_cast<int>(l.integer("units", 1, 1, 65536));
        ls.activation = l.enumeration("activation", Activation::linear, k_activations);
        l.finish();
        m.layers.push_back(ls);
    }
    r.finish();
    return m;
}

} // namespace

Spec default_spec() {
    Spec s;
    s.model.input = {};
    s.model.layers = {{"dense", 8, Activation::tanh}, {"dense", 1, Activation::linear}};
    return s;
}

const char *activation_name(Activation a) { return name_of(a, k_activations); }
const char *loss_name(LossType t) { return name_of(t, k_losses); }

Spec parse_spec(const json &j) {
    Reader root(j, "");
    Spec s = default_spec();
    s.data = parse_data(root.object("data"));
    s.model = parse_model(root.object("model"));
    {
        Reader r = root.object("loss");
        s.loss.type = r.enumeration("type", s.loss.type, k_losses);
        r.finish();
    }
    {
        Reader r = root.object("optimizer");
        s.optimizer.type = r.choice("type", s.optimizer.type, {"sgd"});
        s.optimizer.lr = r.number("lr", s.optimizer.lr, 0.0, 10.0);
        s.optimizer.momentum = r.number("momentum", s.optimizer.momentum, 0.0, 0.999);
        s.optimizer.nesterov = r.boolean("nesterov", s.optimizer.nesterov);
        s.optimizer.weight_decay = r.number("weight_decay", s.optimizer.weight_decay, 0.0, 10.0);
        s.optimizer.l1 = r.number("l1", s.optimizer.l1, 0.0, 10.0);
        if (s.optimizer.nesterov && s.optimizer.momentum == 0.0)
            throw Error("optimizer.nesterov", "needs optimizer.momentum above 0");
        r.finish();
    }
    {
        Reader r = root.object("init");
        s.init.scheme = r.enumeration("scheme", s.init.scheme, k_inits);
        s.init.seed = static_cast<uint64_t>(r.integer("seed", 1, 0, 1LL << 53));
        r.finish();
    }
    {
        Reader r = root.object("train");
        s.train.batch_size = static_cast<int>(r.integer("batch_size", s.train.batch_size, 1, 65536));
        s.train.epochs = static_cast<int>(r.integer("epochs", s.train.epochs, 0, 10000000));
        s.train.seed = static_cast<uint64_t>(r.integer("seed", 1, 0, 1LL << 53));
        s.train.shuffle = r.boolean("shuffle", s.train.shuffle);
        s.train.threads = static_cast<int>(r.integer("threads", s.train.threads, 1, 256));
        r.finish();
    }
    {
        Reader r = root.object("limits");
        s.limits.memory_mb = r.number("memory_mb", s.limits.memory_mb, 1.0, 1 << 20);
        r.finish();
    }
    root.finish();

    // Cross-key checks: input width, output width against the loss and the data.
    int n_features = static_cast<int>(s.data.features.size());
    if (!s.model.input.empty() && (s.model.input.size() != 1 || s.model.input[0] != n_features))
        throw Error("model.input", "shape [" + std::to_string(s.model.input[0]) + (s.model.input.size() > 1 ? ",..." : "") +
                                       "] does not match the data's [" + std::to_string(n_features) + "] (one per feature)");
    const ToyInfo &toy = toy_info(s.data.toy.shape);
    int units_out = s.model.layers.back().units;
    std::string out_key = "model.layers[" + std::to_string(s.model.layers.size() - 1) + "].units";
    if (toy.task == Task::regression && s.loss.type != LossType::mse)
        throw Error("loss.type", std::string("'") + loss_name(s.loss.type) + "' needs class labels; the toy set '" +
                                     s.data.toy.shape + "' is a regression set: use mse");
    int want = s.loss.type == LossType::cross_entropy ? toy.classes : 1;
    if (units_out != want)
        throw Error(out_key, std::to_string(units_out) + " outputs, but " + loss_name(s.loss.type) + " on '" +
                                 s.data.toy.shape + "' needs " + std::to_string(want));

    // Memory estimate before anything is allocated: parameters x4 (value, grad, momentum, copy
    // for snapshots) plus activations and their gradients for one batch and the data itself.
    double params = 0, acts = 0;
    int width = n_features;
    for (auto &l : s.model.layers) {
        params += double(width) * l.units + l.units;
        acts += 2.0 * l.units;
        width = l.units;
    }
    double bytes = 4.0 * (4 * params + 2 * acts * std::max(s.train.batch_size, 256) + double(s.data.toy.n) * (n_features + 3));
    double mb = bytes / (1024.0 * 1024.0);
    if (mb > s.limits.memory_mb)
        throw Error("limits.memory_mb", "this run needs about " + format_number(std::round(mb)) + " MB, over the limit of " +
                                            format_number(s.limits.memory_mb) + " MB; shrink the model or raise the limit");
    return s;
}

Spec parse_spec_text(const std::string &text, const std::string &origin) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error &e) {
        // nlohmann's message carries "line L, column C"; keep that part only.
        std::string what = e.what();
        auto at = what.find("at line");
        throw Error(origin, "not valid JSON (" + (at == std::string::npos ? what : what.substr(at)) + ")");
    }
    return parse_spec(j);
}

json spec_to_json(const Spec &s) {
    json layers = json::array();
    for (auto &l : s.model.layers) {
        json lj = {{"type", l.type}, {"units", l.units}};
        if (l.activation != Activation::linear) lj["activation"] = activation_name(l.activation);
        layers.push_back(lj);
    }
    json model = {{"layers", layers}};
    if (!s.model.input.empty()) model["input"] = s.model.input;
    return {
        {"data",
         {{"source", s.data.source},
          {"toy", {{"shape", s.data.toy.shape}, {"n", s.data.toy.n}, {"noise", s.data.toy.noise}, {"seed", s.data.toy.seed}}},
          {"features", s.data.features},
          {"test_fraction", s.data.test_fraction},
          {"normalize", s.data.normalize},
          {"shuffle", s.data.shuffle}}},
        {"model", model},
        {"loss", {{"type", loss_name(s.loss.type)}}},
        {"optimizer",
         {{"type", s.optimizer.type},
          {"lr", s.optimizer.lr},
          {"momentum", s.optimizer.momentum},
          {"nesterov", s.optimizer.nesterov},
          {"weight_decay", s.optimizer.weight_decay},
          {"l1", s.optimizer.l1}}},
        {"init", {{"scheme", name_of(s.init.scheme, k_inits)}, {"seed", s.init.seed}}},
        {"train",
         {{"batch_size", s.train.batch_size},
          {"epochs", s.train.epochs},
          {"seed", s.train.seed},
          {"shuffle", s.train.shuffle},
          {"threads", s.train.threads}}},
        {"limits", {{"memory_mb", s.limits.memory_mb}}},
    };
}

void set_by_path(json &j, const std::string &path, const std::string &value_text) {
    // "model.layers[0].units" -> tokens model, layers, [0], units
    struct Token {
        std::string key;
        bool index;
    };
    std::vector<Token> tokens;
    std::string key;
    auto flush = [&] {
        if (key.empty()) throw Error(path, "is not a valid key path (empty part)");
        tokens.push_back({key, false});
        key.clear();
    };
    for (size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '.') {
            if (i > 0 && path[i - 1] == ']') continue;
            flush();
        } else if (c == '[') {
            if (!key.empty()) flush();
            size_t close = path.find(']', i);
            if (close == std::string::npos) throw Error(path, "is not a valid key path (missing ])");
            std::string index = path.substr(i + 1, close - i - 1);
            if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos)
                throw Error(path, "is not a valid key path ('" + index + "' is not an index)");
            tokens.push_back({index, true});
            i = close;
        } else {
            key += c;
        }
    }
    if (!key.empty()) flush();
    if (tokens.empty()) throw Error(path, "is not a valid key path");

    json value = json::parse(value_text, nullptr, false);
    if (value.is_discarded()) value = value_text;
    // Walk down, creating objects for missing keys; a list index must exist already (--set
    // changes entries, it does not grow lists silently).
    json *node = &j;
    for (const Token &t : tokens) {
        if (t.index) {
            if (!node->is_array()) throw Error(path, "cannot be set: [" + t.key + "] indexes something that is not a list");
            size_t index = std::stoul(t.key);
            if (index >= node->size())
                throw Error(path, "index " + t.key + " is past the end of a list of " + std::to_string(node->size()));
            node = &(*node)[index];
        } else {
            if (node->is_null()) *node = json::object();
            if (!node->is_object()) throw Error(path, "cannot be set: '" + t.key + "' is inside something that is not an object");
            node = &(*node)[t.key];
        }
    }
    *node = value;
}

} // namespace liandan
