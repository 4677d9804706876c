// Spec parsing: defaults, refusals that name the key, --set paths, and printing round trips.
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "util/error.h"

using namespace liandan;
using json = nlohmann::json;

namespace {
std::string refusal(const std::string &text, const std::string &origin = "spec") {
    try {
        parse_spec_text(text, origin);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(spec, empty_object_gives_defaults) {
    Spec s = parse_spec_text("{}");
    EXPECT_EQ(s.data.toy.shape, "spiral");
    EXPECT_EQ(s.model.layers.size(), 2u);
    EXPECT_EQ(s.loss.type, LossType::bce);
    EXPECT_DOUBLE_EQ(s.optimizer.lr, 0.03);
    EXPECT_EQ(s.train.batch_size, 10);
}

TEST(spec, design_example_parses) {
    Spec s = parse_spec_text(R"({ "data":  { "source": "toy",  "toy": { "shape": "spiral", "n": 500, "noise": 0.1 },
             "features": ["x", "y"], "test_fraction": 0.5, "normalize": "none" },
      "model": { "input": [2], "layers": [ { "type": "dense", "units": 8, "activation": "tanh" },
                                           { "type": "dense", "units": 1 } ] },
      "loss": { "type": "bce" },
      "optimizer": { "type": "sgd", "lr": 0.03, "momentum": 0 },
      "train": { "batch_size": 10, "epochs": 100, "seed": 1, "shuffle": true } })");
    EXPECT_EQ(s.model.layers[0].activation, Activation::tanh);
    EXPECT_EQ(s.data.toy.n, 500);
}

TEST(spec, refusals_name_the_key) {
    EXPECT_EQ(refusal(R"({"model": {"layers": [{"type": "dense", "units": 0}]}})"),
              "model.layers[0].units: 0 is below the minimum 1");
    EXPECT_EQ(refusal(R"({"optimizer": {"lr": "fast"}})"), "optimizer.lr: must be a number, not a string");
    EXPECT_EQ(refusal(R"({"train": {"batch_sise": 4}})"), "train.batch_sise: unknown key");
    EXPECT_EQ(refusal(R"({"data": {"toy": {"shape": "donut"}}})"),
              "data.toy.shape: 'donut' is not one of spiral, circle, xor, gauss, plane, multigauss, moons, checkerboard, spirals, blobs");
    EXPECT_EQ(refusal(R"({"model": {"layers": [{"units": 8, "activation": "swish"}, {"units": 1}]}})"),
              "model.layers[0].activation: 'swish' is not one of linear, relu, leaky_relu, elu, gelu, sigmoid, tanh, softmax");
    EXPECT_EQ(refusal(R"({"model": {"layers": [{"type": "conv2d", "units": 3}]}})"),
              "model.layers[0].filters: is required for a conv2d layer");
    EXPECT_EQ(refusal(R"({"model": {"layers": [{"type": "conv2d", "filters": 3, "units": 3}]}})"),
              "model.layers[0].units: unknown key for a conv2d layer");
    EXPECT_EQ(refusal(R"({"optimizer": {"type": "adam", "momentum": 0.9}})"),
              "optimizer.momentum: unknown key for optimizer.type 'adam'");
    EXPECT_EQ(refusal(R"({"data": {"source": "csv"}})"), "data.path: is required for data.source 'csv'");
    EXPECT_EQ(refusal(R"({"data": {"source": "mnist", "test_fraction": 0.2}})"),
              "data.test_fraction: cannot be used with a data set that has its own test split");
    EXPECT_EQ(refusal(R"({"data": {"toy": {"shape": "xor", "classes": 3}}})"),
              "data.toy.classes: 3 is above the maximum 2");
    EXPECT_EQ(refusal("{\"train\": {\"epochs\": 1.5}}"), "train.epochs: must be an integer, not 1.5");
    EXPECT_EQ(refusal(R"({"train": {"augment": {"shift": 9}}})"), "train.augment.shift: 9 is above the maximum 8");
    EXPECT_EQ(refusal(R"({"train": {"augment": {"rotate": 10}}})"), "train.augment.rotate: unknown key");
    EXPECT_EQ(refusal(R"({"train": {"augment": true}})"), "train.augment: must be an object, not a boolean");
    EXPECT_NE(refusal("{\"train\": "), "accepted");
    EXPECT_EQ(refusal("[1, 2]"), "spec: must be an object, not an array");
}

TEST(spec, optimizer_defaults_follow_pytorch) {
    EXPECT_DOUBLE_EQ(parse_spec_text(R"({"optimizer": {"type": "adam"}})").optimizer.lr, 0.001);
    EXPECT_DOUBLE_EQ(parse_spec_text(R"({"optimizer": {"type": "rmsprop"}})").optimizer.lr, 0.01);
    EXPECT_DOUBLE_EQ(parse_spec_text(R"({"optimizer": {"type": "adamw"}})").optimizer.weight_decay, 0.01);
    EXPECT_DOUBLE_EQ(parse_spec_text(R"({"optimizer": {"type": "sgd"}})").optimizer.lr, 0.03);
}

TEST(spec, set_by_path) {
    json j = json::parse(R"({"model": {"layers": [{"units": 8}, {"units": 1}]}})");
    set_by_path(j, "optimizer.lr", "0.1");
    set_by_path(j, "model.layers[0].units", "16");
    set_by_path(j, "model.layers[0].activation", "relu"); // not JSON: taken as a string
    Spec s = parse_spec(j);
    EXPECT_DOUBLE_EQ(s.optimizer.lr, 0.1);
    EXPECT_EQ(s.model.layers[0].units, 16);
    EXPECT_EQ(s.model.layers[0].activation, Activation::relu);
    EXPECT_THROW(set_by_path(j, "model.layers[5].units", "3"), Error);
    EXPECT_THROW(set_by_path(j, "model..units", "3"), Error);
}

TEST(spec, print_and_parse_round_trip) {
    for (const char *text : {R"({"data": {"toy": {"shape": "blobs", "classes": 4}}, "loss": {"type": "cross_entropy", "class_weights": [1, 2, 1, 1]},
                                 "model": {"layers": [{"units": 8, "activation": "relu"}, {"type": "dropout", "rate": 0.2},
                                                      {"type": "residual", "layers": [{"units": 8}, {"type": "batchnorm"}], "activation": "relu"},
                                                      {"units": 4}]},
                                 "optimizer": {"type": "adamw", "clip_norm": 1, "schedule": {"type": "cosine", "warmup_steps": 10}}})",
                             R"({"data": {"source": "mnist", "limit": 100},
                                 "model": {"input": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 4, "kernel": 5, "padding": "same"},
                                                                            {"type": "maxpool"}, {"type": "flatten"}, {"units": 10}]},
                                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "rmsprop", "centered": true},
                                 "train": {"augment": {"shift": 2, "flip": true}}})"}) {
        json printed = spec_to_json(parse_spec_text(text));
        EXPECT_EQ(spec_to_json(parse_spec(printed)), printed);
    }
}

TEST(spec, malformed_files_are_refused_naming_the_place) {
    // Not JSON: the message names the file, line and column (nlohmann's position).
    struct Case {
        std::string text, message;
    };
    const Case not_json[] = {
        {"{\n  \"train\": {\n    \"epochs\": 3,\n  }\n}", "my.json: not valid JSON (at line 4, column 3: "},
        {"", "my.json: not valid JSON (at line 1, column 1: "},
        {"{\"train\": {\"epochs\": 3}", "my.json: not valid JSON (at line 1, column 24: "},
        {"{\"optimizer\": {\"lr\": 0.1e}}", "my.json: not valid JSON (at line 1, column 26: "},
        {"{\"train\": {\"epochs\": 1e400}}", "my.json: not valid JSON (number overflow parsing '1e400')"},
        {"{'train': {}}", "my.json: not valid JSON (at line 1, column 2: "},
    };
    for (const Case &c : not_json) {
        const std::string got = refusal(c.text, "my.json");
        EXPECT_EQ(got.substr(0, c.message.size()), c.message) << "for " << c.text;
        EXPECT_EQ(got.find('\n'), std::string::npos) << got; // one line
    }
    // Wrong types, unknown keys, values out of range: the message names the key.
    const Case refused[] = {
        {R"({"train": {"shuffle": "yes"}})", "train.shuffle: must be true or false, not a string"},
        {R"({"train": {"epochs": null}})", "train.epochs: must be an integer, not null"},
        {R"({"train": {"batch_size": true}})", "train.batch_size: must be an integer, not a boolean"},
        {R"({"optimizer": 0.1})", "optimizer: must be an object, not a number"},
        {R"({"optimizer": {"type": 3}})", "optimizer.type: must be a string, not a number"},
        {R"({"model": {"layers": {"units": 3}}})", "model.layers: must be an array, not an object"},
        {R"({"model": {"layers": [3]}})", "model.layers[0]: must be an object, not a number"},
        {R"({"model": {"input": [2.5]}})", "model.input[0]: must be an integer from 1 to 1000000"},
        {R"({"model": {"input": [1, 28]}})", "model.input: has 2 dimensions; [features] or [C, H, W]"},
        {R"({"data": {"features": ["x", 2]}})", "data.features[1]: must be a string, not a number"},
        {R"({"data": {"features": ["x", "z"]}})", "data.features[1]: 'z' is not one of x, y, x2, y2, xy, sinx, siny, cosx, cosy"},
        {R"({"data": {"features": ["x", "x"]}})", "data.features[1]: 'x' is listed twice"},
        {R"({"loss": {"class_weights": ["a"]}})", "loss.class_weights[0]: must be a number from 0 to 1e6"},
        {R"({"modle": {}})", "modle: unknown key"},
        {R"({"data": {"toy": {"shap": "xor"}}})", "data.toy.shap: unknown key for data.toy"},
        {R"({"optimizer": {"schedule": {"type": "step", "t_max": 3}}})", "optimizer.schedule.t_max: unknown key for schedule type 'step'"},
        {R"({"model": {"layers": [{"type": "residual", "layers": [{"units": 2, "rate": 0.1}]}]}})",
         "model.layers[0].layers[0].rate: unknown key for a dense layer"},
        {R"({"model": {"layers": [{"type": "maxpool", "filters": 2}]}})", "model.layers[0].filters: unknown key for a maxpool layer"},
        {R"({"optimizer": {"lr": 11}})", "optimizer.lr: 11 is above the maximum 10"},
        {R"({"optimizer": {"lr": -0.1}})", "optimizer.lr: -0.1 is below the minimum 0"},
        {R"({"optimizer": {"type": "adam", "beta1": 1}})", "optimizer.beta1: 1 is above the maximum 0.9999"},
        {R"({"optimizer": {"nesterov": true}})", "optimizer.nesterov: needs optimizer.momentum above 0"},
        {R"({"data": {"test_fraction": 0.95}})", "data.test_fraction: 0.95 is above the maximum 0.9"},
        {R"({"data": {"toy": {"n": 3}}})", "data.toy.n: 3 is below the minimum 4"},
        {R"({"model": {"layers": [{"type": "dropout", "rate": 1}, {"units": 1}]}})", "model.layers[0].rate: 1 is above the maximum 0.95"},
        {R"({"model": {"layers": [{"units": 1e12}]}})", "model.layers[0].units: 1e+12 is above the maximum 65536"},
        {R"({"model": {"layers": [{"type": "conv2d", "filters": 2, "stride": 2, "padding": "same"}]}})",
         "model.layers[0].padding: 'same' needs stride 1 (as in PyTorch)"},
        {R"({"model": {"layers": []}})", "model.layers: needs at least one layer"},
        {R"({"model": {"layers": [{"type": "residual", "layers": []}]}})", "model.layers[0].layers: a residual block needs at least one layer"},
        {R"({"train": {"threads": 0}})", "train.threads: 0 is below the minimum 1"},
        {R"({"limits": {"memory_mb": 0}})", "limits.memory_mb: 0 is below the minimum 1"},
        {R"({"init": {"seed": -1}})", "init.seed: -1 is below the minimum 0"},
        {R"({"init": {"scheme": "kaiming"}})", "init.scheme: 'kaiming' is not one of he, xavier, lecun, normal, zeros"},
        {R"({"data": {"source": "idx", "images": "a.idx"}})", "data.labels: is required for data.source 'idx'"},
        {R"({"data": {"source": "idx", "images": "a", "labels": "b", "test_images": "c"}})", "data.test_labels: is needed with the other test file"},
    };
    for (const Case &c : refused) EXPECT_EQ(refusal(c.text), c.message) << "for " << c.text;
}

TEST(spec, set_by_path_refusals_name_the_path) {
    json j = json::parse(R"({"model": {"layers": [{"units": 8}, {"units": 1}]}, "train": {"epochs": 3}})");
    auto refusal_of = [&](const std::string &path) {
        try {
            set_by_path(j, path, "1");
        } catch (const Error &e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refusal_of("model.layers[2].units"), "model.layers[2].units: index 2 is past the end of a list of 2");
    EXPECT_EQ(refusal_of("model.layers[99999999999999999999999].units"),
              "model.layers[99999999999999999999999].units: index 99999999999999999999999 is past the end of a list of 2");
    EXPECT_EQ(refusal_of("model.layers[x].units"), "model.layers[x].units: is not a valid key path ('x' is not an index)");
    EXPECT_EQ(refusal_of("model.layers[0"), "model.layers[0: is not a valid key path (missing ])");
    EXPECT_EQ(refusal_of("train.epochs.n"), "train.epochs.n: cannot be set: 'n' is inside something that is not an object");
    EXPECT_EQ(refusal_of("train[0]"), "train[0]: cannot be set: [0] indexes something that is not a list");
    EXPECT_EQ(refusal_of(""), "is not a valid key path");
    EXPECT_EQ(refusal_of("train..epochs"), "train..epochs: is not a valid key path (empty part)");
}
