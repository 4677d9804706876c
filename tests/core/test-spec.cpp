// Spec parsing: defaults, refusals that name the key, --set paths, and printing round trips.
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "util/error.h"

using namespace liandan;
using json = nlohmann::json;

namespace {
std::string refusal(const std::string &text) {
    try {
        parse_spec_text(text);
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
                                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "rmsprop", "centered": true}})"}) {
        json printed = spec_to_json(parse_spec_text(text));
        EXPECT_EQ(spec_to_json(parse_spec(printed)), printed);
    }
}
