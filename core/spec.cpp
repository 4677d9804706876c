// Spec parsing, validation and printing. A small Reader walks the JSON with the current path so
// every refusal names its key; leftover keys are refused as unknown.
#include "spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "data/catalog.h"
#include "data/toy.h"
#include "util/error.h"

namespace liandan {
using json = nlohmann::json;

namespace {

constexpr Named<Activation> k_activations[] = {
    {Activation::linear, "linear"}, {Activation::relu, "relu"},       {Activation::leaky_relu, "leaky_relu"},
    {Activation::elu, "elu"},       {Activation::gelu, "gelu"},       {Activation::sigmoid, "sigmoid"},
    {Activation::tanh, "tanh"},     {Activation::softmax, "softmax"}};
constexpr Named<LayerType> k_layer_types[] = {
    {LayerType::dense, "dense"},         {LayerType::conv2d, "conv2d"},   {LayerType::maxpool, "maxpool"},
    {LayerType::avgpool, "avgpool"},     {LayerType::flatten, "flatten"}, {LayerType::dropout, "dropout"},
    {LayerType::batchnorm, "batchnorm"}, {LayerType::residual, "residual"}};
constexpr Named<Padding> k_paddings[] = {{Padding::valid, "valid"}, {Padding::same, "same"}};
constexpr Named<LossType> k_losses[] = {
    {LossType::mse, "mse"}, {LossType::bce, "bce"}, {LossType::cross_entropy, "cross_entropy"}};
constexpr Named<OptimizerType> k_optimizers[] = {{OptimizerType::sgd, "sgd"},
                                                    {OptimizerType::adam, "adam"},
                                                    {OptimizerType::adamw, "adamw"},
                                                    {OptimizerType::rmsprop, "rmsprop"}};
constexpr Named<ScheduleType> k_schedules[] = {{ScheduleType::constant, "constant"},
                                                  {ScheduleType::step, "step"},
                                                  {ScheduleType::exponential, "exponential"},
                                                  {ScheduleType::cosine, "cosine"}};
constexpr Named<InitScheme> k_inits[] = {{InitScheme::he, "he"},
                                            {InitScheme::xavier, "xavier"},
                                            {InitScheme::lecun, "lecun"},
                                            {InitScheme::normal, "normal"},
                                            {InitScheme::zeros, "zeros"}};
constexpr Named<DataSource> k_sources[] = {{DataSource::toy, "toy"},
                                              {DataSource::points, "points"},
                                              {DataSource::csv, "csv"},
                                              {DataSource::idx, "idx"},
                                              {DataSource::mnist, "mnist"},
                                              {DataSource::fashion_mnist, "fashion-mnist"},
                                              {DataSource::iris, "iris"},
                                              {DataSource::breast_cancer, "breast-cancer"},
                                              {DataSource::boston_housing, "boston-housing"}};
constexpr Named<Normalize> k_normalizes[] = {
    {Normalize::none, "none"}, {Normalize::standard, "standard"}, {Normalize::minmax, "minmax"}};
constexpr Named<SpeedUnit> k_speed_units[] = {{SpeedUnit::epochs, "epochs"}, {SpeedUnit::steps, "steps"}};

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
    template <class E, size_t K> E enumeration(const std::string &key, E fallback, const Named<E> (&table)[K]) {
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
    // Refuses keys nobody read; `of` names what they are not a key of ("a conv2d layer").
    void finish(const std::string &of = "") const {
        for (auto &[key, value] : j_.items())
            if (!used_.count(key)) throw Error(key_path(key), of.empty() ? "unknown key" : "unknown key for " + of);
    }
    std::string string(const std::string &key, const std::string &fallback) {
        const json *v = get(key);
        if (!v) return fallback;
        if (!v->is_string()) throw Error(key_path(key), "must be a string, not " + type_name(*v));
        return v->get<std::string>();
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

template <class E, size_t K> const char *name_of(E value, const Named<E> (&table)[K]) {
    for (auto &e : table)
        if (e.value == value) return e.name;
    return "?";
}

bool is_plane_feature(const std::string &name) {
    for (const PlaneFeature &f : plane_features())
        if (name == f.name) return true;
    return false;
}

std::vector<std::string> string_list(Reader &r, const std::string &key) {
    const json &list = r.array(key);
    std::vector<std::string> out;
    for (size_t i = 0; i < list.size(); ++i) {
        std::string k = r.key_path(key) + "[" + std::to_string(i) + "]";
        if (!list[i].is_string()) throw Error(k, "must be a string, not " + type_name(list[i]));
        std::string v = list[i].get<std::string>();
        if (std::find(out.begin(), out.end(), v) != out.end()) throw Error(k, "'" + v + "' is listed twice");
        out.push_back(v);
    }
    return out;
}

// data.points: [[x, y, label], ...] in the toy plane; labels are class indices (below 16) or, for
// mse, any value (checked against the loss in make_dataset).
std::vector<float> point_rows(Reader &r, const std::string &key) {
    const json &list = r.array(key);
    if (list.size() < 4) throw Error(r.key_path(key), "needs at least 4 points, has " + std::to_string(list.size()));
    if (list.size() > 100000) throw Error(r.key_path(key), std::to_string(list.size()) + " points is above the maximum 100000");
    std::vector<float> out;
    out.reserve(list.size() * 3);
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string k = r.key_path(key) + "[" + std::to_string(i) + "]";
        if (!list[i].is_array() || list[i].size() != 3) throw Error(k, "must be [x, y, label]");
        for (int c = 0; c < 3; ++c) {
            if (!list[i][c].is_number()) throw Error(k + "[" + std::to_string(c) + "]", "must be a number, not " + type_name(list[i][c]));
            double v = list[i][c].get<double>();
            if (!std::isfinite(v) || (c < 2 && std::fabs(v) > k_toy_extent))
                throw Error(k + "[" + std::to_string(c) + "]", format_number(v) + " is outside the plane [-6, 6]");
            out.push_back(float(v));
        }
    }
    return out;
}

DataSpec parse_data(Reader r) {
    DataSpec d;
    d.source = r.enumeration("source", d.source, k_sources);
    const std::string source = data_source_name(d.source);
    auto required = [&](const std::string &key) {
        std::string v = r.string(key, "");
        if (v.empty()) throw Error(r.key_path(key), "is required for data.source '" + source + "'");
        return v;
    };
    if (d.source == DataSource::toy) {
        Reader t = r.object("toy");
        d.toy.shape = t.choice("shape", d.toy.shape, toy_shape_names());
        d.toy.n = static_cast<int>(t.integer("n", d.toy.n, 4, 1000000));
        d.toy.noise = t.number("noise", d.toy.noise, 0.0, 1.0);
        const ToyInfo &info = toy_info(d.toy.shape);
        d.toy.classes = static_cast<int>(t.integer("classes", info.classes, info.classes, info.k_classes ? 16 : info.classes));
        if (t.has("classes") && !info.k_classes && d.toy.classes != info.classes)
            throw Error(t.key_path("classes"), "the toy set '" + d.toy.shape + "' has a fixed number of classes");
        d.toy.seed = static_cast<uint64_t>(t.integer("seed", 1, 0, 1LL << 53));
        t.finish("data.toy");
    } else if (d.source == DataSource::points) {
        d.points = point_rows(r, "points");
        d.shuffle = true; // drawn points come in drawing order: mix them before the split (seeded)
    }
    if (d.source == DataSource::toy || d.source == DataSource::points) {
        if (r.has("features")) {
            d.features = string_list(r, "features");
            for (size_t i = 0; i < d.features.size(); ++i)
                if (!is_plane_feature(d.features[i]))
                    throw Error(r.key_path("features") + "[" + std::to_string(i) + "]",
                                "'" + d.features[i] + "' is not one of x, y, x2, y2, xy, sinx, siny, cosx, cosy");
            if (d.features.empty()) throw Error(r.key_path("features"), "needs at least one feature");
        }
    } else if (d.source == DataSource::csv) {
        d.path = required("path");
        d.target = required("target");
        d.features = r.has("features") ? string_list(r, "features") : std::vector<std::string>{};
    } else if (d.source == DataSource::idx) {
        d.images = required("images");
        d.labels = required("labels");
        d.test_images = r.string("test_images", "");
        d.test_labels = r.string("test_labels", "");
        if (d.test_images.empty() != d.test_labels.empty())
            throw Error(r.key_path(d.test_images.empty() ? "test_images" : "test_labels"), "is needed with the other test file");
    } else { // a named set (data/catalog.h): a table takes another target or fewer columns
        d.dir = r.string("dir", "");
        d.features.clear();
        if (!named_set(d.source)->images) {
            d.target = r.string("target", "");
            if (r.has("features")) d.features = string_list(r, "features");
        }
    }
    d.limit = static_cast<int>(r.integer("limit", 0, 0, 100000000));
    d.test_fraction_set = r.has("test_fraction");
    d.test_fraction = r.number("test_fraction", d.test_fraction, 0.0, 0.9);
    const bool official_test = has_official_test_split(d);
    if (official_test && d.test_fraction_set)
        throw Error(r.key_path("test_fraction"), "cannot be used with a data set that has its own test split");
    d.normalize = r.enumeration("normalize", d.normalize, k_normalizes);
    d.shuffle = r.boolean("shuffle", d.shuffle);
    d.minority_share = r.number("minority_share", 0.0, 0.0, 0.5);
    r.finish("data.source '" + source + "'");
    return d;
}

LayerSpec parse_layer(const json &j, const std::string &path, int depth) {
    Reader l(j, path);
    LayerSpec ls;
    ls.type = l.enumeration("type", LayerType::dense, k_layer_types);
    switch (ls.type) {
    case LayerType::dense:
        if (!l.has("units")) throw Error(l.key_path("units"), "is required for a dense layer");
        ls.units = static_cast<int>(l.integer("units", 1, 1, 65536));
        break;
    case LayerType::conv2d:
        if (!l.has("filters")) throw Error(l.key_path("filters"), "is required for a conv2d layer");
        ls.filters = static_cast<int>(l.integer("filters", 1, 1, 4096));
        ls.kernel = static_cast<int>(l.integer("kernel", 3, 1, 64));
        ls.stride = static_cast<int>(l.integer("stride", 1, 1, 64));
        ls.padding = l.enumeration("padding", Padding::valid, k_paddings);
        if (ls.padding == Padding::same && ls.stride != 1)
            throw Error(l.key_path("padding"), "'same' needs stride 1 (as in PyTorch)");
        break;
    case LayerType::maxpool:
    case LayerType::avgpool:
        ls.size = static_cast<int>(l.integer("size", 2, 1, 64));
        ls.stride = static_cast<int>(l.integer("stride", ls.size, 1, 64));
        break;
    case LayerType::dropout: ls.rate = l.number("rate", 0.5, 0.0, 0.95); break;
    case LayerType::batchnorm:
        ls.momentum = l.number("momentum", 0.1, 0.0, 1.0);
        ls.eps = l.number("eps", 1e-5, 1e-12, 1.0);
        break;
    case LayerType::residual: {
        if (depth >= 8) throw Error(path, "residual blocks nest deeper than 8");
        const json &inner = l.array("layers");
        if (inner.empty()) throw Error(l.key_path("layers"), "a residual block needs at least one layer");
        for (size_t i = 0; i < inner.size(); ++i)
            ls.layers.push_back(parse_layer(inner[i], l.key_path("layers") + "[" + std::to_string(i) + "]", depth + 1));
        break;
    }
    case LayerType::flatten: break;
    }
    ls.activation = l.enumeration("activation", Activation::linear, k_activations);
    l.finish(std::string("a ") + layer_type_name(ls.type) + " layer");
    return ls;
}

ModelSpec parse_model(Reader r) {
    ModelSpec m;
    const json &input = r.array("input");
    if (input.size() > 3) throw Error(r.key_path("input"), "has " + std::to_string(input.size()) + " dimensions; [features] or [C, H, W]");
    for (size_t i = 0; i < input.size(); ++i) {
        std::string key = r.key_path("input") + "[" + std::to_string(i) + "]";
        if (!input[i].is_number_integer() || input[i].get<int64_t>() < 1 || input[i].get<int64_t>() > 1000000)
            throw Error(key, "must be an integer from 1 to 1000000");
        m.input.push_back(input[i].get<int>());
    }
    if (input.size() == 2) throw Error(r.key_path("input"), "has 2 dimensions; [features] or [C, H, W]");
    if (!r.has("layers")) { // no layers: the default network
        m.layers = default_spec().model.layers;
        r.finish();
        return m;
    }
    const json &layers = r.array("layers");
    if (layers.empty()) throw Error(r.key_path("layers"), "needs at least one layer");
    if (layers.size() > 256) throw Error(r.key_path("layers"), "has " + std::to_string(layers.size()) + " layers; the maximum is 256");
    for (size_t i = 0; i < layers.size(); ++i)
        m.layers.push_back(parse_layer(layers[i], r.key_path("layers") + "[" + std::to_string(i) + "]", 0));
    r.finish();
    return m;
}

OptimizerSpec parse_optimizer(Reader r) {
    OptimizerSpec o;
    o.type = r.enumeration("type", o.type, k_optimizers);
    const bool sgd = o.type == OptimizerType::sgd, rms = o.type == OptimizerType::rmsprop;
    const bool adam = o.type == OptimizerType::adam || o.type == OptimizerType::adamw;
    const double default_lr = sgd ? 0.03 : rms ? 0.01 : 0.001; // Playground's 0.03; PyTorch's defaults otherwise
    o.lr = r.number("lr", default_lr, 0.0, 10.0);
    const std::string of = std::string("optimizer.type '") + optimizer_name(o.type) + "'";
    if (sgd || rms) o.momentum = r.number("momentum", 0.0, 0.0, 0.999);
    if (sgd) {
        o.nesterov = r.boolean("nesterov", false);
        if (o.nesterov && o.momentum == 0.0) throw Error("optimizer.nesterov", "needs optimizer.momentum above 0");
    }
    if (adam) {
        o.beta1 = r.number("beta1", 0.9, 0.0, 0.9999);
        o.beta2 = r.number("beta2", 0.999, 0.0, 0.99999);
    }
    if (adam || rms) o.eps = r.number("eps", 1e-8, 1e-12, 1.0);
    if (rms) {
        o.alpha = r.number("alpha", 0.99, 0.0, 0.9999);
        o.centered = r.boolean("centered", false);
    }
    o.weight_decay = r.number("weight_decay", o.type == OptimizerType::adamw ? 0.01 : 0.0, 0.0, 10.0);
    o.l1 = r.number("l1", 0.0, 0.0, 10.0);
    o.clip_norm = r.number("clip_norm", 0.0, 0.0, 1e6);
    {
        Reader s = r.object("schedule");
        ScheduleSpec &sc = o.schedule;
        sc.type = s.enumeration("type", sc.type, k_schedules);
        if (sc.type == ScheduleType::step) sc.step_size = static_cast<int>(s.integer("step_size", 10, 1, 1000000));
        if (sc.type == ScheduleType::step || sc.type == ScheduleType::exponential) sc.gamma = s.number("gamma", 0.1, 0.0, 1.0);
        if (sc.type == ScheduleType::cosine) {
            sc.t_max = static_cast<int>(s.integer("t_max", 0, 0, 10000000));
            sc.min_lr = s.number("min_lr", 0.0, 0.0, 10.0);
        }
        sc.warmup_steps = static_cast<int>(s.integer("warmup_steps", 0, 0, 100000000));
        s.finish(std::string("schedule type '") + name_of(sc.type, k_schedules) + "'");
    }
    r.finish(of);
    return o;
}

} // namespace

Spec default_spec() {
    Spec s;
    LayerSpec hidden, out;
    hidden.units = 8;
    hidden.activation = Activation::tanh;
    out.units = 1;
    s.model.layers = {hidden, out};
    return s;
}

std::span<const Named<OptimizerType>> optimizer_choices() { return k_optimizers; }
std::span<const Named<ScheduleType>> schedule_choices() { return k_schedules; }
std::span<const Named<InitScheme>> init_choices() { return k_inits; }
std::span<const Activation> hidden_activations() {
    static constexpr Activation k_hidden[] = {Activation::tanh, Activation::relu,       Activation::sigmoid, Activation::linear,
                                              Activation::leaky_relu, Activation::elu, Activation::gelu};
    return k_hidden;
}

const char *activation_name(Activation a) { return name_of(a, k_activations); }
const char *speed_unit_name(SpeedUnit u) { return name_of(u, k_speed_units); }
const char *loss_name(LossType t) { return name_of(t, k_losses); }
const char *layer_type_name(LayerType t) { return name_of(t, k_layer_types); }
const char *optimizer_name(OptimizerType t) { return name_of(t, k_optimizers); }
const char *data_source_name(DataSource s) { return name_of(s, k_sources); }

bool has_official_test_split(const DataSpec &d) {
    const NamedSet *set = named_set(d.source);
    return !d.test_images.empty() || (set && set->images);
}

const std::vector<std::string> &view_control_names() {
    // TensorFlow Playground's HIDABLE_CONTROLS ids, then its input features (playground.ts).
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n = {"showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate",
                                      "activation", "regularization", "regularizationRate", "problem", "dataset",
                                      "percTrainData", "noise", "batchSize", "numHiddenLayers", "experimentMenu", "lessonsMenu"};
        for (const PlaneFeature &f : plane_features()) n.push_back(f.url_key);
        return n;
    }();
    return names;
}

Spec parse_spec(const json &j) {
    Reader root(j, "");
    Spec s = default_spec();
    s.data = parse_data(root.object("data"));
    s.model = parse_model(root.object("model"));
    {
        Reader r = root.object("loss");
        s.loss.type = r.enumeration("type", s.loss.type, k_losses);
        const json &weights = r.array("class_weights");
        for (size_t i = 0; i < weights.size(); ++i) {
            std::string key = r.key_path("class_weights") + "[" + std::to_string(i) + "]";
            if (!weights[i].is_number() || weights[i].get<double>() < 0 || weights[i].get<double>() > 1e6)
                throw Error(key, "must be a number from 0 to 1e6");
            s.loss.class_weights.push_back(weights[i].get<double>());
        }
        if (r.has("class_weights") && s.loss.type == LossType::mse)
            throw Error(r.key_path("class_weights"), "needs a classification loss (bce or cross_entropy)");
        r.finish();
    }
    s.optimizer = parse_optimizer(root.object("optimizer"));
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
        s.train.target_loss = r.number("target_loss", 0.0, 0.0, 1e30);
        Reader a = r.object("augment");
        s.train.augment.shift = static_cast<int>(a.integer("shift", 0, 0, AugmentSpec::k_max_shift));
        s.train.augment.flip = a.boolean("flip", false);
        a.finish();
        r.finish();
    }
    {
        Reader r = root.object("limits");
        s.limits.memory_mb = r.number("memory_mb", s.limits.memory_mb, 1.0, 1 << 20);
        r.finish();
    }
    {
        Reader r = root.object("view");
        s.view.show_test_data = r.boolean("show_test_data", s.view.show_test_data);
        s.view.discretize = r.boolean("discretize", s.view.discretize);
        s.view.hide_text = r.boolean("hide_text", s.view.hide_text);
        s.view.speed = r.number("speed", s.view.speed, 0, 1e6);
        s.view.speed_unit = r.enumeration("speed_unit", s.view.speed_unit, k_speed_units);
        s.view.hidden = string_list(r, "hidden");
        const auto &names = view_control_names();
        for (size_t i = 0; i < s.view.hidden.size(); ++i)
            if (std::find(names.begin(), names.end(), s.view.hidden[i]) == names.end())
                throw Error(r.key_path("hidden") + "[" + std::to_string(i) + "]",
                            "'" + s.view.hidden[i] + "' is not a control that can be hidden (see docs/spec.md)");
        r.finish();
    }
    root.finish();
    return s;
}

Spec parse_spec_text(const std::string &text, const std::string &origin) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception &e) {
        // A parse_error carries "at line L, column C: ..."; keep that part. Others (a number too
        // large for a double: out_of_range) only lose their "[json.exception.…] " prefix.
        std::string what = e.what();
        auto at = what.find("at line");
        if (at == std::string::npos) at = what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2;
        throw Error(origin, "not valid JSON (" + what.substr(at) + ")");
    }
    return parse_spec(j);
}

namespace {

json layer_to_json(const LayerSpec &l) {
    json j = {{"type", layer_type_name(l.type)}};
    switch (l.type) {
    case LayerType::dense: j["units"] = l.units; break;
    case LayerType::conv2d:
        j["filters"] = l.filters;
        j["kernel"] = l.kernel;
        j["stride"] = l.stride;
        j["padding"] = name_of(l.padding, k_paddings);
        break;
    case LayerType::maxpool:
    case LayerType::avgpool:
        j["size"] = l.size;
        j["stride"] = l.stride;
        break;
    case LayerType::dropout: j["rate"] = l.rate; break;
    case LayerType::batchnorm:
        j["momentum"] = l.momentum;
        j["eps"] = l.eps;
        break;
    case LayerType::residual:
        j["layers"] = json::array();
        for (auto &inner : l.layers) j["layers"].push_back(layer_to_json(inner));
        break;
    case LayerType::flatten: break;
    }
    if (l.activation != Activation::linear) j["activation"] = activation_name(l.activation);
    return j;
}

// The shortest decimal that reads back as the same float: a point drawn at 0.123 is written
// 0.123, not 0.12300000339746475 (a 200-point link was 13 KB of such digits).
double shortest_decimal(float v) {
    char text[32];
    for (int digits = 6; digits < 9; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, double(v));
        if (std::strtof(text, nullptr) == v) return std::strtod(text, nullptr);
    }
    std::snprintf(text, sizeof text, "%.9g", double(v));
    return std::strtod(text, nullptr);
}

json data_to_json(const DataSpec &d) {
    json j = {{"source", data_source_name(d.source)}};
    switch (d.source) {
    case DataSource::toy:
        j["toy"] = {{"shape", d.toy.shape}, {"n", d.toy.n}, {"noise", d.toy.noise}, {"seed", d.toy.seed}};
        if (d.toy.classes > 0) j["toy"]["classes"] = d.toy.classes; // 0 (a spec not yet parsed): the set's own
        j["features"] = d.features;
        break;
    case DataSource::points: {
        json rows = json::array();
        for (size_t i = 0; i + 2 < d.points.size(); i += 3)
            rows.push_back({shortest_decimal(d.points[i]), shortest_decimal(d.points[i + 1]), shortest_decimal(d.points[i + 2])});
        j["points"] = std::move(rows);
        j["features"] = d.features;
        break;
    }
    case DataSource::csv:
        j["path"] = d.path;
        j["target"] = d.target;
        if (!d.features.empty()) j["features"] = d.features;
        break;
    case DataSource::idx:
        j["images"] = d.images;
        j["labels"] = d.labels;
        if (!d.test_images.empty()) {
            j["test_images"] = d.test_images;
            j["test_labels"] = d.test_labels;
        }
        break;
    case DataSource::mnist:
    case DataSource::fashion_mnist:
    case DataSource::iris:
    case DataSource::breast_cancer:
    case DataSource::boston_housing:
        if (!d.dir.empty()) j["dir"] = d.dir;
        if (!d.target.empty()) j["target"] = d.target;
        if (!d.features.empty()) j["features"] = d.features;
        break;
    }
    if (d.limit) j["limit"] = d.limit;
    const bool official_test = has_official_test_split(d);
    if (!official_test) j["test_fraction"] = d.test_fraction;
    j["normalize"] = name_of(d.normalize, k_normalizes);
    j["shuffle"] = d.shuffle;
    if (d.minority_share > 0) j["minority_share"] = d.minority_share;
    return j;
}

json optimizer_to_json(const OptimizerSpec &o) {
    json j = {{"type", optimizer_name(o.type)}, {"lr", o.lr}};
    const bool sgd = o.type == OptimizerType::sgd, rms = o.type == OptimizerType::rmsprop;
    const bool adam = o.type == OptimizerType::adam || o.type == OptimizerType::adamw;
    if (sgd || rms) j["momentum"] = o.momentum;
    if (sgd) j["nesterov"] = o.nesterov;
    if (adam) {
        j["beta1"] = o.beta1;
        j["beta2"] = o.beta2;
    }
    if (adam || rms) j["eps"] = o.eps;
    if (rms) {
        j["alpha"] = o.alpha;
        j["centered"] = o.centered;
    }
    j["weight_decay"] = o.weight_decay;
    j["l1"] = o.l1;
    j["clip_norm"] = o.clip_norm;
    const ScheduleSpec &s = o.schedule;
    json sj = {{"type", name_of(s.type, k_schedules)}};
    if (s.type == ScheduleType::step) sj["step_size"] = s.step_size;
    if (s.type == ScheduleType::step || s.type == ScheduleType::exponential) sj["gamma"] = s.gamma;
    if (s.type == ScheduleType::cosine) {
        sj["t_max"] = s.t_max;
        sj["min_lr"] = s.min_lr;
    }
    sj["warmup_steps"] = s.warmup_steps;
    j["schedule"] = sj;
    return j;
}

} // namespace

json spec_to_json(const Spec &s) {
    json layers = json::array();
    for (auto &l : s.model.layers) layers.push_back(layer_to_json(l));
    json model = {{"layers", layers}};
    if (!s.model.input.empty()) model["input"] = s.model.input;
    json loss = {{"type", loss_name(s.loss.type)}};
    if (!s.loss.class_weights.empty()) loss["class_weights"] = s.loss.class_weights;
    return {
        {"data", data_to_json(s.data)},
        {"model", model},
        {"loss", loss},
        {"optimizer", optimizer_to_json(s.optimizer)},
        {"init", {{"scheme", name_of(s.init.scheme, k_inits)}, {"seed", s.init.seed}}},
        {"train",
         {{"batch_size", s.train.batch_size},
          {"epochs", s.train.epochs},
          {"seed", s.train.seed},
          {"shuffle", s.train.shuffle},
          {"threads", s.train.threads},
          {"target_loss", s.train.target_loss},
          {"augment", {{"shift", s.train.augment.shift}, {"flip", s.train.augment.flip}}}}},
        {"limits", {{"memory_mb", s.limits.memory_mb}}},
        {"view",
         {{"show_test_data", s.view.show_test_data},
          {"discretize", s.view.discretize},
          {"hide_text", s.view.hide_text},
          {"speed", s.view.speed},
          {"speed_unit", name_of(s.view.speed_unit, k_speed_units)},
          {"hidden", s.view.hidden}}},
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
            // Past the end when it has more digits than any list's size (std::stoul would throw).
            size_t index = t.key.size() > 9 ? size_t(-1) : std::stoul(t.key);
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
