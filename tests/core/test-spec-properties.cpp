// Properties over many generated specs (seeded, so every run of a build sees the same ones; the
// wasm build's standard library draws other ones from the same seeds):
//   valid specs of bounded size, with every layer type and option, train a few steps without a
//   crash, and a non-finite loss only ever comes as an explained Diverged;
//   broken specs (unknown keys, values out of bounds, wrong types, unknown names) are refused with
//   an Error naming the broken key;
//   a URL made from any spec reads back as the same spec.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "data/idx.h"
#include "spec.h"
#include "train/trainer.h"
#include "url_hash.h"

using namespace liandan;
using json = nlohmann::json;

namespace {

class SpecGenerator {
public:
    explicit SpecGenerator(uint32_t seed) : rng_(seed) {}

    // A valid spec over toy data, drawn points or small images (images_path names IDX files).
    json valid(const std::string &images_path, const std::string &labels_path) {
        json s;
        const int kind = pick(3); // 0 toy, 1 points, 2 images
        int classes = 2;
        bool image = false;
        int c = 1, h = 1, w = 1;
        if (kind == 0) {
            const char *shapes[] = {"circle", "xor", "gauss", "spiral", "moons", "checkerboard", "spirals", "blobs"};
            const std::string shape = shapes[pick(8)];
            s["data"]["toy"] = {{"shape", shape}, {"n", 20 + pick(200)}, {"noise", real(0, 1)}, {"seed", pick(1000)}};
            if (shape == "spirals" || shape == "blobs") {
                classes = 3 + pick(4);
                s["data"]["toy"]["classes"] = classes;
            }
            const char *features[] = {"x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"};
            json chosen = json::array();
            for (const char *f : features)
                if (coin()) chosen.push_back(f);
            if (chosen.empty()) chosen.push_back("x");
            s["data"]["features"] = chosen;
            c = int(chosen.size());
        } else if (kind == 1) {
            json points = json::array();
            const int n = 8 + pick(40);
            for (int i = 0; i < n; ++i) {
                points.push_back({real(-6, 6), real(-6, 6), i % 2}); // both classes present
            }
            s["data"] = {{"source", "points"}, {"points", points}};
            c = 2;
        } else {
            s["data"] = {{"source", "idx"}, {"images", images_path}, {"labels", labels_path}};
            classes = 3, image = true, c = 1, h = w = 8;
        }
        s["data"]["test_fraction"] = 0.1 + 0.1 * pick(8);
        const char *normalize[] = {"none", "standard", "minmax"};
        s["data"]["normalize"] = normalize[pick(3)];
        if (coin()) s["data"]["shuffle"] = coin();

        // Loss first: it fixes the output width.
        int outputs = 1;
        std::string loss;
        if (classes > 2 || image) {
            loss = "cross_entropy"; // mse on class labels is for two classes only
        } else {
            const char *losses[] = {"bce", "cross_entropy", "mse"};
            loss = losses[pick(3)];
        }
        if (loss == "cross_entropy") outputs = classes;
        s["loss"]["type"] = loss;
        if (loss != "mse" && coin()) {
            json weights = json::array();
            for (int k = 0; k < (loss == "bce" ? 2 : classes); ++k) weights.push_back(0.5 + real(0, 2));
            s["loss"]["class_weights"] = weights;
        }

        json layers = json::array();
        if (image) {
            for (int i = 0, n = pick(4); i < n; ++i) {
                const int choice = pick(5);
                if (choice == 0) {
                    const bool same = coin(); // 'same' padding takes stride 1, as in PyTorch
                    const int k = 1 + pick(3), stride = same ? 1 : 1 + pick(2);
                    const int oh = same ? (h + stride - 1) / stride : (h - k) / stride + 1;
                    if (oh < 1) continue;
                    c = 1 + pick(4);
                    layers.push_back(layer("conv2d", {{"filters", c}, {"kernel", k}, {"stride", stride}, {"padding", same ? "same" : "valid"}}));
                    h = w = oh;
                } else if (choice == 1 && h >= 2) {
                    layers.push_back(layer(coin() ? "maxpool" : "avgpool", {{"size", 2}}));
                    h = w = h / 2;
                } else if (choice == 2) {
                    layers.push_back(layer("batchnorm", {{"momentum", real(0, 1)}, {"eps", 1e-5}}));
                } else if (choice == 3) {
                    json block = json::array({layer("conv2d", {{"filters", c}, {"kernel", 3}, {"padding", "same"}})});
                    layers.push_back(layer("residual", {{"layers", block}}));
                } else {
                    layers.push_back(layer("dropout", {{"rate", real(0, 0.9)}}));
                }
            }
            layers.push_back(json{{"type", "flatten"}});
            c = c * h * w;
        }
        for (int i = 0, n = pick(4); i < n; ++i) {
            const int choice = pick(4);
            if (choice == 0) {
                c = 1 + pick(8);
                layers.push_back(layer("dense", {{"units", c}}));
            } else if (choice == 1) {
                layers.push_back(layer("dropout", {{"rate", real(0, 0.9)}}));
            } else if (choice == 2) {
                layers.push_back(layer("batchnorm", {}));
            } else {
                json block = json::array({layer("dense", {{"units", 1 + pick(6)}}), layer("dense", {{"units", c}})});
                layers.push_back(layer("residual", {{"layers", block}}));
            }
        }
        layers.push_back(json{{"type", "dense"}, {"units", outputs}});
        s["model"]["layers"] = layers;

        const char *optimizers[] = {"sgd", "adam", "adamw", "rmsprop"};
        const std::string opt = optimizers[pick(4)];
        json &o = s["optimizer"];
        o = {{"type", opt}, {"lr", 1e-3 * (1 + pick(50))}};
        if (opt == "sgd") o["momentum"] = real(0, 0.95), o["nesterov"] = coin();
        if (opt == "adam" || opt == "adamw") o["beta1"] = real(0.5, 0.95), o["beta2"] = real(0.9, 0.999);
        if (opt == "rmsprop") o["alpha"] = real(0.8, 0.99), o["centered"] = coin(), o["momentum"] = real(0, 0.9);
        if (coin()) o["weight_decay"] = real(0, 0.01);
        if (coin()) o["l1"] = real(0, 0.001);
        if (coin()) o["clip_norm"] = real(0.1, 5);
        const char *schedules[] = {"constant", "step", "exponential", "cosine"};
        const std::string schedule = schedules[pick(4)];
        o["schedule"] = {{"type", schedule}, {"warmup_steps", pick(5)}};
        if (schedule == "step") o["schedule"]["step_size"] = 1 + pick(3), o["schedule"]["gamma"] = real(0.1, 1);
        if (schedule == "exponential") o["schedule"]["gamma"] = real(0.5, 1);
        if (schedule == "cosine") o["schedule"]["t_max"] = pick(5), o["schedule"]["min_lr"] = 1e-4;
        const char *inits[] = {"he", "xavier", "lecun", "normal", "zeros"};
        s["init"] = {{"scheme", inits[pick(5)]}, {"seed", pick(100)}};
        s["train"] = {{"batch_size", 1 + pick(16)}, {"epochs", 1 + pick(3)}, {"seed", pick(100)}, {"shuffle", coin()},
                      {"threads", 1 + pick(2)}};
        return s;
    }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    bool coin() { return pick(2) == 1; }
    double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }

private:
    json layer(const std::string &type, json options) {
        options["type"] = type;
        if (type != "residual" && coin()) {
            const char *activations[] = {"linear", "relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh", "softmax"};
            options["activation"] = activations[pick(8)];
        }
        return options;
    }
    std::mt19937 rng_;
};

// Small IDX files of 40 random 8×8 images in 3 classes, written once per test run.
// Named by the test, as ctest runs the tests of this file in parallel processes.
struct ImageFiles {
    std::string prefix = testing::TempDir() + "liandan-" + testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string images = prefix + "-images.idx", labels = prefix + "-labels.idx";
    ImageFiles() {
        std::mt19937 rng(7);
        std::vector<uint8_t> pixels(40 * 64), classes(40);
        for (auto &p : pixels) p = uint8_t(rng() & 0xff);
        for (size_t i = 0; i < classes.size(); ++i) classes[i] = uint8_t(i % 3);
        write_idx(images, {40, 8, 8}, pixels);
        write_idx(labels, {40}, classes);
    }
    ~ImageFiles() {
        std::remove(images.c_str());
        std::remove(labels.c_str());
    }
};

// Every "key" path (objects and array items) of j, as the spec's errors write them.
void key_paths(const json &j, const std::string &path, std::vector<std::string> &out) {
    if (j.is_object()) {
        for (auto &[k, v] : j.items()) {
            const std::string p = path.empty() ? k : path + "." + k;
            out.push_back(p);
            key_paths(v, p, out);
        }
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i)
            if (j[i].is_object()) key_paths(j[i], path + "[" + std::to_string(i) + "]", out);
    }
}

json &at_path(json &j, const std::string &path) {
    std::string pointer = "/";
    for (char ch : path)
        if (ch == '.' || ch == '[') pointer += '/';
        else if (ch != ']') pointer += ch;
    return j.at(json::json_pointer(pointer));
}

} // namespace

TEST(spec_properties, generated_valid_specs_train_without_crash_or_unexplained_nan) {
    ImageFiles files;
    SpecGenerator gen(20261204);
    int trained = 0, diverged = 0;
    for (int i = 0; i < 60; ++i) {
        const json j = gen.valid(files.images, files.labels);
        SCOPED_TRACE("spec " + std::to_string(i) + ": " + j.dump());
        try {
            Trainer trainer(parse_spec(j));
            for (int step = 0; step < 3; ++step) {
                const double loss = trainer.step();
                ASSERT_TRUE(std::isfinite(loss)); // step() throws Diverged rather than return a NaN
            }
            const EpochMetrics m = trainer.evaluate();
            EXPECT_TRUE(std::isfinite(m.loss_train) && std::isfinite(m.loss_test));
            ++trained;
        } catch (const Diverged &e) {
            EXPECT_NE(std::string(e.what()).find("diverged at step"), std::string::npos) << e.what();
            ++diverged;
        } catch (const Error &e) {
            ADD_FAILURE() << "a valid spec was refused: " << e.what();
        }
    }
    EXPECT_GE(trained, 55) << diverged << " diverged";
}

TEST(spec_properties, broken_specs_are_refused_naming_the_key) {
    ImageFiles files;
    SpecGenerator gen(1);
    const json wrong_values[] = {json("nonsense"), json(-1), json(1e9), json::array({1}), json(true), json(nullptr)};
    int refused = 0;
    for (int i = 0; i < 300; ++i) {
        json j = gen.valid(files.images, files.labels);
        std::vector<std::string> paths;
        key_paths(j, "", paths);
        const std::string path = paths[size_t(gen.pick(int(paths.size())))];
        json &target = at_path(j, path);
        std::string named = path; // the key the error must name
        if (gen.coin() && target.is_object()) {
            target["bogus_key"] = 1; // unknown keys are refused, never ignored
            named = path + ".bogus_key";
        } else if (target.is_number() || target.is_string() || target.is_boolean()) {
            // A value of the wrong type or out of every key's bounds; some keys take any of them.
            const json before = target;
            target = wrong_values[gen.pick(6)];
            if (target.type() == before.type() && !target.is_string() && !target.is_number()) continue;
        } else {
            continue;
        }
        SCOPED_TRACE("broken at " + named + ": " + j.dump());
        try {
            Trainer trainer(parse_spec(j));
            // Still valid after the change (e.g. a seed of 1e9, a shuffle of true): nothing to check.
        } catch (const Diverged &) {
        } catch (const Error &e) {
            ++refused;
            const std::string what = e.what();
            // The error names the key, or the layer holding it (a shape that no longer fits), or
            // for a data file's key, the file it now names.
            const std::string holder = named.substr(0, named.rfind('.'));
            const bool names_layer = holder.find("layers[") != std::string::npos && what.rfind(holder, 0) == 0;
            const bool names_file = (named == "data.images" || named == "data.labels") && j.at("data").at(named.substr(5)).is_string() &&
                                    e.where() == j.at("data").at(named.substr(5)).get<std::string>();
            EXPECT_TRUE(what.rfind(named + ":", 0) == 0 || names_layer || names_file) << "error '" << what << "' does not name " << named;
        }
    }
    EXPECT_GT(refused, 150);
}

TEST(spec_properties, url_of_any_spec_reads_back_as_the_same_spec) {
    ImageFiles files;
    SpecGenerator gen(99);
    for (int i = 0; i < 300; ++i) {
        const Spec spec = parse_spec(gen.valid(files.images, files.labels));
        const std::string hash = url_hash_from_spec(spec);
        const Spec back = spec_from_url_hash(hash);
        ASSERT_EQ(spec_to_json(back).dump(), spec_to_json(spec).dump()) << "hash " << hash;
    }
}
