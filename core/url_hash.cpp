// URL hash <-> spec. Reading: split `k=v&...`, check each key against a table of TensorFlow
// Playground's keys (src/state.ts: names, value types, defaults) and Liandan's, build the spec's
// JSON and run it through parse_spec. Writing: say the spec in short keys where it can, and keep
// that only if reading it back gives the same spec; otherwise the full form.
//
// Index: text helpers · hash reading (HashState, apply, build) · hash writing · base64url
#include "url_hash.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "data/catalog.h"
#include "data/toy.h"
#include "util/error.h"

namespace liandan {
using json = nlohmann::json;

namespace {

// ---- text helpers ----------------------------------------------------------------------------

std::string percent_decode(const std::string &s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Whether bytes are UTF-8 text: an address's %-escapes may make any bytes, and a key or value
// that is not text would show as garbage in the refusal naming it.
bool valid_utf8(const std::string &s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        // The lead byte: its length, and the range its first continuation byte may take (no
        // overlong forms, no surrogates, nothing past U+10FFFF), as JSON and the browser require.
        int more = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) more = 1;
        else if (c >= 0xe0 && c <= 0xef) more = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        else if (c >= 0xf0 && c <= 0xf4) more = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        else return false;
        if (s.size() - i <= size_t(more)) return false;
        for (int k = 1; k <= more; ++k) {
            const auto b = static_cast<unsigned char>(s[i + size_t(k)]);
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return false;
        }
        i += size_t(more) + 1;
    }
    return true;
}

// The shortest plain decimal text t (no exponent, so a person can read and edit it) with
// back(strtod(t)) == want; %.17g when no plain form up to 20 decimals gives it back.
std::string shortest(double x, double want, const std::function<double(double)> &back) {
    char buf[64];
    if (std::abs(x) < 1e15)
        for (int decimals = 0; decimals <= 20; ++decimals) {
            std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
            if (back(std::strtod(buf, nullptr)) == want) return buf;
        }
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}
std::string number_text(double x) {
    return shortest(x, x, [](double v) { return v; });
}


// Playground's data sets by the names its hash uses, and ours.
struct ShapeKey {
    const char *key, *shape;
};
constexpr ShapeKey k_datasets[] = {{"circle", "circle"}, {"xor", "xor"},     {"gauss", "gauss"},
                                   {"spiral", "spiral"}, {"moons", "moons"}, {"checkerboard", "checkerboard"},
                                   {"spirals", "spirals"}, {"blobs", "blobs"}};
constexpr ShapeKey k_reg_datasets[] = {{"reg-plane", "plane"}, {"reg-gauss", "multigauss"}};
// Playground has these regression sets too; Liandan has no generator for them.
const std::set<std::string> k_reg_datasets_missing = {"reg-maximum", "reg-argmax"};

// Playground's sample counts (playground.ts NUM_SAMPLES_CLASSIFY / NUM_SAMPLES_REGRESS).
constexpr int k_samples_classify = 500, k_samples_regress = 1200;

template <size_t K> std::string list_of(const ShapeKey (&table)[K]) {
    std::string s;
    for (auto &e : table) s += (s.empty() ? "" : ", ") + std::string(e.key);
    return s;
}

// ---- hash reading --------------------------------------------------------------------------

// Everything the short form can say, at Playground's defaults (state.ts) and Liandan's.
struct HashState {
    // TensorFlow Playground
    std::string activation = "tanh", regularization = "none", dataset = "circle", reg_dataset = "reg-plane";
    std::string problem = "classification", seed;
    double learning_rate = 0.03, regularization_rate = 0, noise = 0, perc_train = 50;
    int batch_size = 10;
    std::vector<int> network_shape = {4, 2};
    bool features[9] = {true, true, false, false, false, false, false, false, false};
    bool show_test_data = false, discretize = false, init_zero = false, hide_text = false;
    std::set<std::string> hidden;
    // Liandan
    std::string optimizer = "sgd", loss, init_scheme;
    double momentum = 0, dropout = 0;
    int epochs = 0, num_classes = 0, num_samples = 0, threads = 1;
    bool batch_norm = false, shuffle = false;
    std::optional<uint64_t> init_seed, train_seed;
    ViewSpec view; // its pace (speed, speedUnit)
};

// Thrown when a known key's value is read and found empty: Playground skips such settings.
struct EmptyValue {};

struct Value {
    const std::string &key, &text;

    [[noreturn]] void fail(const std::string &why) const { throw Error(key, why); }
    const std::string &nonempty() const {
        if (text.empty()) throw EmptyValue{};
        return text;
    }
    double number(double lo, double hi) const {
        nonempty();
        char *end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) fail("'" + text + "' is not a number");
        if (v < lo) fail(text + " is below the minimum " + number_text(lo));
        if (v > hi) fail(text + " is above the maximum " + number_text(hi));
        return v;
    }
    int integer(int lo, int hi) const {
        double v = number(lo, hi);
        if (v != std::floor(v)) fail("'" + text + "' is not a whole number");
        return int(v);
    }
    bool boolean() const {
        if (nonempty() == "true") return true;
        if (text == "false") return false;
        fail("'" + text + "' is not true or false");
    }
    // One of options; a refusal lists them, then also_listed (values taken elsewhere, named so
    // that a misspelled one is recognised).
    std::string choice(const std::vector<std::string> &options, const std::vector<std::string> &also_listed = {}) const {
        if (std::find(options.begin(), options.end(), nonempty()) != options.end()) return text;
        std::string list;
        for (const auto *values : {&options, &also_listed})
            for (auto &o : *values) list += (list.empty() ? "" : ", ") + o;
        fail("'" + text + "' is not one of " + list);
    }
    uint64_t seed() const { return seed_from_text(nonempty()); }
};

void apply_setting(HashState &st, const std::string &key, const std::string &text) {
    Value v{key, text};
    if (key.size() > 5 && key.compare(key.size() - 5, 5, "_hide") == 0) {
        const std::string control = key.substr(0, key.size() - 5);
        const auto &names = view_control_names();
        if (std::find(names.begin(), names.end(), control) == names.end())
            v.fail("'" + control + "' is not a control that can be hidden (see docs/url.md)");
        if (v.boolean()) st.hidden.insert(control);
        else st.hidden.erase(control);
        return;
    }
    for (size_t i = 0; i < 9; ++i)
        if (key == plane_features()[i].url_key) {
            st.features[i] = v.boolean();
            return;
        }
    if (key == "activation") st.activation = v.choice({"relu", "tanh", "sigmoid", "linear", "leaky_relu", "elu", "gelu"});
    else if (key == "regularization") st.regularization = v.choice({"none", "L1", "L2"});
    else if (key == "batchSize") st.batch_size = v.integer(1, 65536);
    else if (key == "dataset") {
        std::vector<std::string> names, named;
        for (auto &d : k_datasets) names.push_back(d.key);
        // The named sets (dataset=mnist) never come here; a misspelled one does: the refusal lists them too.
        for (const NamedSet &set : named_sets()) named.push_back(set.name);
        st.dataset = v.choice(names, named);
    } else if (key == "regDataset") {
        if (k_reg_datasets_missing.count(text)) st.reg_dataset = text; // refused only if used (build)
        else st.reg_dataset = v.choice({"reg-plane", "reg-gauss"});
    } else if (key == "learningRate") st.learning_rate = v.number(0, 10);
    else if (key == "regularizationRate") st.regularization_rate = v.number(0, 10);
    else if (key == "noise") st.noise = v.number(0, 100);
    else if (key == "networkShape") {
        st.network_shape.clear();
        size_t start = 0;
        while (!text.empty() && start <= text.size()) {
            size_t comma = std::min(text.find(',', start), text.size());
            std::string part = text.substr(start, comma - start);
            Value unit{key, part};
            if (part.empty()) v.fail("'" + text + "' has an empty entry; write widths like 4,2");
            st.network_shape.push_back(unit.integer(1, 65536));
            start = comma + 1;
        }
        if (st.network_shape.size() > 255) v.fail(std::to_string(st.network_shape.size()) + " hidden layers; the maximum is 255");
    } else if (key == "seed") st.seed = v.nonempty();
    else if (key == "showTestData") st.show_test_data = v.boolean();
    else if (key == "discretize") st.discretize = v.boolean();
    else if (key == "percTrainData") st.perc_train = v.number(10, 100);
    else if (key == "problem") st.problem = v.choice({"classification", "regression"});
    else if (key == "initZero") st.init_zero = v.boolean();
    else if (key == "hideText") st.hide_text = v.boolean();
    else if (key == "collectStats") v.boolean(); // Playground's usage statistics: nothing to do here
    else if (key == "tutorial") {}               // Playground's tutorial pages are not part of Liandan
    // Liandan's keys
    else if (key == "optimizer") st.optimizer = v.choice({"sgd", "adam", "adamw", "rmsprop"});
    else if (key == "momentum") st.momentum = v.number(0, 0.999);
    else if (key == "loss") st.loss = v.choice({"bce", "mse", "cross_entropy"});
    else if (key == "epochs") st.epochs = v.integer(0, 10000000);
    else if (key == "numClasses") st.num_classes = v.integer(2, 16);
    else if (key == "numSamples") st.num_samples = v.integer(4, 1000000);
    else if (key == "batchNorm") st.batch_norm = v.boolean();
    else if (key == "dropout") st.dropout = v.number(0, 0.95);
    else if (key == "initScheme") st.init_scheme = v.choice({"he", "xavier", "lecun", "normal", "zeros"});
    else if (key == "initSeed") st.init_seed = v.seed();
    else if (key == "trainSeed") st.train_seed = v.seed();
    else if (key == "shuffle") st.shuffle = v.boolean();
    else if (key == "threads") st.threads = v.integer(1, 256);
    else if (key == "speed") st.view.speed = v.number(0, 1e6);
    else if (key == "speedUnit") st.view.speed_unit = v.choice({"epochs", "steps"}) == "steps" ? SpeedUnit::steps : SpeedUnit::epochs;
    else throw Error(key, "unknown key (see docs/url.md)");
}

// Playground skips a known setting with an empty value (its hasKey); an unknown key is refused
// either way. networkShape= is not empty to it: no hidden layers.
void apply(HashState &st, const std::string &key, const std::string &text) {
    if (key.empty()) throw Error("=" + text, "is a setting without a name; write key=value pairs joined by &");
    try {
        apply_setting(st, key, text);
    } catch (const EmptyValue &) {
    }
}

json build(const HashState &st) {
    const bool regression = st.problem == "regression";
    std::string shape;
    if (regression) {
        if (k_reg_datasets_missing.count(st.reg_dataset))
            throw Error("regDataset", "'" + st.reg_dataset + "' is TensorFlow Playground's, but Liandan has no generator for it; one of " +
                                          list_of(k_reg_datasets));
        for (auto &d : k_reg_datasets)
            if (st.reg_dataset == d.key) shape = d.shape;
    } else {
        for (auto &d : k_datasets)
            if (st.dataset == d.key) shape = d.shape;
    }
    const ToyInfo &info = toy_info(shape);
    int classes = info.classes;
    if (st.num_classes) {
        if (regression) throw Error("numClasses", "is for classification; problem is regression");
        if (!info.k_classes && st.num_classes != info.classes)
            throw Error("numClasses", "the data set '" + st.dataset + "' has " + std::to_string(info.classes) +
                                          " classes; spirals and blobs take any number");
        classes = st.num_classes;
    }

    // Loss and output width: Playground's tanh output with squared error becomes the usual
    // sigmoid + binary cross-entropy head; regression keeps squared error (mse).
    std::string loss = regression ? "mse" : classes > 2 ? "cross_entropy" : "bce";
    if (!st.loss.empty()) {
        if (regression && st.loss != "mse") throw Error("loss", "'" + st.loss + "' needs class labels; problem is regression: use mse");
        if (classes > 2 && st.loss != "cross_entropy")
            throw Error("loss", "'" + st.loss + "' works for two classes; this data set has " + std::to_string(classes) + ": use cross_entropy");
        loss = st.loss;
    }
    const int outputs = loss == "cross_entropy" ? classes : 1;

    json features = json::array();
    for (size_t i = 0; i < 9; ++i)
        if (st.features[i]) features.push_back(plane_features()[i].name);
    if (features.empty()) throw Error("x", "every input feature is off (x, y, xSquared, ...); turn at least one on");

    json layers = json::array();
    for (int units : st.network_shape) {
        layers.push_back({{"type", "dense"}, {"units", units}, {"activation", st.batch_norm ? "linear" : st.activation}});
        if (st.batch_norm) layers.push_back({{"type", "batchnorm"}, {"activation", st.activation}});
        if (st.dropout > 0) layers.push_back({{"type", "dropout"}, {"rate", st.dropout}});
    }
    layers.push_back({{"type", "dense"}, {"units", outputs}});

    if (st.momentum > 0 && st.optimizer != "sgd" && st.optimizer != "rmsprop")
        throw Error("momentum", "is for optimizer sgd or rmsprop, not " + st.optimizer);
    json optimizer = {{"type", st.optimizer}, {"lr", st.learning_rate}, {"weight_decay", 0.0}, {"l1", 0.0}};
    if (st.optimizer == "sgd" || st.optimizer == "rmsprop") optimizer["momentum"] = st.momentum;
    // Playground adds rate·w (L2) or rate·sign(w) (L1) to each weight's gradient step.
    if (st.regularization == "L2") optimizer["weight_decay"] = st.regularization_rate;
    if (st.regularization == "L1") optimizer["l1"] = st.regularization_rate;

    std::string scheme = st.init_scheme.empty() ? (st.init_zero ? "zeros" : "xavier") : st.init_scheme;
    if (st.init_zero && scheme != "zeros") throw Error("initScheme", "'" + scheme + "' contradicts initZero=true");
    // Playground draws a random seed when the hash has none; a fixed one keeps the URL reproducible.
    const uint64_t seed = st.seed.empty() ? 1 : seed_from_text(st.seed);

    json hidden = json::array();
    for (auto &name : view_control_names())
        if (st.hidden.count(name)) hidden.push_back(name);

    // Playground: data = generator(n, noise / 100), shuffled, the first percTrainData % for training.
    json toy = {{"shape", shape}, {"n", st.num_samples ? st.num_samples : regression ? k_samples_regress : k_samples_classify},
                {"noise", st.noise / 100}, {"seed", seed}};
    if (info.k_classes) toy["classes"] = classes;
    return {
        {"data", {{"source", "toy"}, {"toy", toy}, {"features", features}, {"test_fraction", 1 - st.perc_train / 100},
                  {"normalize", "none"}, {"shuffle", false}}},
        {"model", {{"layers", layers}}},
        {"loss", {{"type", loss}}},
        {"optimizer", optimizer},
        {"init", {{"scheme", scheme}, {"seed", st.init_seed.value_or(seed)}}},
        // Playground goes through its training points in one fixed order and never stops by itself.
        {"train", {{"batch_size", st.batch_size}, {"epochs", st.epochs}, {"seed", st.train_seed.value_or(seed)},
                   {"shuffle", st.shuffle}, {"threads", st.threads}}},
        {"view", {{"show_test_data", st.show_test_data}, {"discretize", st.discretize}, {"hide_text", st.hide_text},
                  {"speed", st.view.speed}, {"speed_unit", speed_unit_name(st.view.speed_unit)},
                  {"hidden", hidden}}},
    };
}

Spec spec_from_full_form(const std::string &value) {
    std::string text = percent_decode(value);
    if (text.empty() || text[0] != '{') text = base64url_decode(text);
    return parse_spec_text(text, "spec");
}

// ---- hash writing ---------------------------------------------------------------------------

// The short form's text for a spec, or nothing when its shape is beyond the short keys. Whether
// it says the spec exactly is checked by the caller, by reading it back.
std::optional<std::string> short_form(const Spec &s) {
    const DataSpec &d = s.data;
    if (d.source != DataSource::toy || d.normalize != Normalize::none || d.shuffle || d.limit) return std::nullopt;
    const ToyInfo &info = toy_info(d.toy.shape);
    const bool regression = info.task == Task::regression;
    std::string dataset = "circle", reg_dataset = "reg-plane";
    for (auto &e : k_datasets)
        if (d.toy.shape == e.shape) dataset = e.key;
    for (auto &e : k_reg_datasets)
        if (d.toy.shape == e.shape) reg_dataset = e.key;

    // Hidden layers: blocks of dense [+ batchnorm] [+ dropout] alike but for their widths.
    const auto &layers = s.model.layers;
    if (layers.empty() || layers.back().type != LayerType::dense || layers.back().activation != Activation::linear) return std::nullopt;
    std::vector<int> shape;
    std::string activation = "tanh";
    bool batch_norm = false;
    double dropout = 0;
    size_t i = 0;
    for (bool first = true; i + 1 < layers.size(); first = false) {
        const LayerSpec &dense = layers[i++];
        if (dense.type != LayerType::dense) return std::nullopt;
        bool bn = i + 1 < layers.size() && layers[i].type == LayerType::batchnorm;
        Activation act = bn ? layers[i].activation : dense.activation;
        if (bn) {
            if (dense.activation != Activation::linear || layers[i].momentum != 0.1 || layers[i].eps != 1e-5) return std::nullopt;
            ++i;
        }
        double rate = 0;
        if (i + 1 < layers.size() && layers[i].type == LayerType::dropout) {
            if (layers[i].activation != Activation::linear) return std::nullopt;
            rate = layers[i++].rate;
        }
        if (!first && (bn != batch_norm || rate != dropout || activation_name(act) != activation)) return std::nullopt;
        batch_norm = bn, dropout = rate, activation = activation_name(act);
        shape.push_back(dense.units);
    }

    const OptimizerSpec &o = s.optimizer;
    if (o.weight_decay > 0 && o.l1 > 0) return std::nullopt;
    std::string regularization = o.weight_decay > 0 ? "L2" : o.l1 > 0 ? "L1" : "none";
    const double rate = o.weight_decay > 0 ? o.weight_decay : o.l1;

    std::vector<std::pair<std::string, std::string>> kv;
    auto add = [&](const std::string &k, const std::string &v) { kv.emplace_back(k, v); };
    auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
    const uint64_t seed = d.toy.seed;
    // Playground's keys in the order its serialize() writes them.
    add("activation", activation);
    add("regularization", regularization);
    add("batchSize", std::to_string(s.train.batch_size));
    add("dataset", dataset);
    add("regDataset", reg_dataset);
    add("learningRate", number_text(o.lr));
    add("regularizationRate", number_text(rate));
    add("noise", shortest(d.toy.noise * 100, d.toy.noise, [](double p) { return p / 100; }));
    std::string widths;
    for (int u : shape) widths += (widths.empty() ? "" : ",") + std::to_string(u);
    add("networkShape", widths);
    add("seed", std::to_string(seed));
    add("showTestData", flag(s.view.show_test_data));
    add("discretize", flag(s.view.discretize));
    add("percTrainData", shortest((1 - d.test_fraction) * 100, d.test_fraction, [](double p) { return 1 - p / 100; }));
    auto has = [&](const char *f) { return std::find(d.features.begin(), d.features.end(), f) != d.features.end(); };
    for (const char *k : {"x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY"})
        for (const PlaneFeature &f : plane_features())
            if (std::string(k) == f.url_key) add(k, flag(has(f.name)));
    add("problem", regression ? "regression" : "classification");
    add("initZero", flag(s.init.scheme == InitScheme::zeros));
    add("hideText", flag(s.view.hide_text));
    for (auto &name : s.view.hidden) add(name + "_hide", "true");
    // Liandan's keys, only where they differ from what the hash gives without them.
    const int default_n = regression ? k_samples_regress : k_samples_classify;
    if (d.toy.n != default_n) add("numSamples", std::to_string(d.toy.n));
    if (info.k_classes) add("numClasses", std::to_string(d.toy.classes));
    const LossType default_loss = regression ? LossType::mse : d.toy.classes > 2 ? LossType::cross_entropy : LossType::bce;
    if (s.loss.type != default_loss) add("loss", loss_name(s.loss.type));
    if (o.type != OptimizerType::sgd) add("optimizer", optimizer_name(o.type));
    if (o.momentum > 0) add("momentum", number_text(o.momentum));
    if (s.train.epochs != 0) add("epochs", std::to_string(s.train.epochs));
    if (batch_norm) add("batchNorm", "true");
    if (dropout > 0) add("dropout", number_text(dropout));
    if (s.init.scheme != InitScheme::zeros && s.init.scheme != InitScheme::xavier)
        add("initScheme", s.init.scheme == InitScheme::he ? "he" : s.init.scheme == InitScheme::lecun ? "lecun" : "normal");
    if (s.init.seed != seed) add("initSeed", std::to_string(s.init.seed));
    if (s.train.seed != seed) add("trainSeed", std::to_string(s.train.seed));
    if (s.train.shuffle) add("shuffle", "true");
    if (s.train.threads != 1) add("threads", std::to_string(s.train.threads));
    const ViewSpec pace;
    if (s.view.speed != pace.speed) add("speed", number_text(s.view.speed));
    if (s.view.speed_unit != pace.speed_unit) add("speedUnit", speed_unit_name(s.view.speed_unit));

    std::string out;
    for (auto &[k, v] : kv) out += (out.empty() ? "" : "&") + k + "=" + v;
    return out;
}

} // namespace

uint64_t seed_from_text(const std::string &text) {
    if (!text.empty() && text.size() <= 16 && text.find_first_not_of("0123456789") == std::string::npos) {
        uint64_t v = std::stoull(text);
        if (v <= (uint64_t(1) << 53)) return v;
    }
    uint64_t h = 0xcbf29ce484222325ull; // FNV-1a offset basis and prime
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return h >> 11; // 53 bits: the spec's seeds stay exact as JSON numbers
}

// dataset=mnist (a named set, data/catalog.h): the experiment proposed for it, with the few keys
// that mean the same for any network; the plane's keys are refused rather than ignored.
Spec named_set_link(const NamedSet &set, const std::map<std::string, std::string> &seen, const HashState &st) {
    Spec spec = proposed_spec(set, set.presets[0], Spec{});
    for (auto &[key, value] : seen) {
        if (key == "dataset") continue;
        if (key == "learningRate") spec.optimizer.lr = st.learning_rate;
        else if (key == "batchSize") spec.train.batch_size = st.batch_size;
        else if (key == "epochs") spec.train.epochs = st.epochs;
        else
            throw Error(key, std::string("is for the plane's data sets; a link to ") + set.name +
                                 " takes learningRate, batchSize and epochs, or the whole experiment as #spec=...");
    }
    return parse_spec(spec_to_json(spec)); // the same checks as any spec
}

Spec spec_from_url_hash(const std::string &hash) {
    std::string text = hash.empty() || hash[0] != '#' ? hash : hash.substr(1);
    std::map<std::string, std::string> seen;
    std::vector<std::pair<std::string, std::string>> entries;
    size_t start = 0;
    while (start <= text.size()) {
        size_t amp = std::min(text.find('&', start), text.size());
        std::string part = text.substr(start, amp - start);
        start = amp + 1;
        if (part.empty()) continue;
        size_t eq = part.find('=');
        std::string key = percent_decode(part.substr(0, eq));
        std::string value = eq == std::string::npos ? "" : percent_decode(part.substr(eq + 1));
        if (!valid_utf8(key) || !valid_utf8(value))
            throw Error(valid_utf8(part) ? part : "a setting", "is not text once its percent escapes are decoded (they make invalid UTF-8)");
        if (seen.count(key)) throw Error(key, "is given twice");
        seen[key] = value;
        entries.emplace_back(key, value);
    }
    if (seen.count("spec")) {
        if (entries.size() > 1) throw Error("spec", "the full-spec form stands alone; put the other settings inside the spec");
        return spec_from_full_form(seen["spec"]);
    }
    HashState st;
    for (auto &[key, value] : entries)
        if (key != "dataset" || !named_set(value)) apply(st, key, value);
    if (seen.count("dataset"))
        if (const NamedSet *set = named_set(seen["dataset"])) return named_set_link(*set, seen, st);
    return parse_spec(build(st));
}

std::string url_hash_from_spec(const Spec &spec) {
    Spec s = spec;
    // model.input equal to the data's width says nothing the hash does not: leave it out.
    if (s.data.source == DataSource::toy && s.model.input == std::vector<int>{int(s.data.features.size())}) s.model.input.clear();
    const json want = spec_to_json(s);
    std::optional<std::string> h = short_form(s);
    if (const NamedSet *set = named_set(s.data.source)) h = std::string("dataset=") + set->name;
    if (h) {
        try {
            if (spec_to_json(spec_from_url_hash(*h)) == want) return *h;
        } catch (const Error &) {
            // a value the short keys refuse: fall through to the full form
        }
    }
    return "spec=" + base64url_encode(want.dump());
}

// ---- base64url ------------------------------------------------------------------------------

namespace {
constexpr char k_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string base64url_encode(const std::string &bytes) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) out += k_b64[(acc >> (bits -= 6)) & 63];
    }
    if (bits > 0) out += k_b64[(acc << (6 - bits)) & 63];
    return out;
}

std::string base64url_decode(const std::string &text) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break; // padding, if a hand-made link has it
        const char *p = c ? std::strchr(k_b64, c) : nullptr;
        // Standard base64's + and / are accepted too, for links made with btoa().
        int v = p ? int(p - k_b64) : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (v < 0) throw Error("spec", std::string("is neither JSON nor base64url-encoded JSON (character '") + c + "')");
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) out += char((acc >> (bits -= 8)) & 0xFF);
    }
    return out;
}

} // namespace liandan
