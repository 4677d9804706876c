// The experiment spec: the single description of an experiment (DESIGN.md, "The spec's fixed core").
// Parsing refuses what it cannot honour with an Error naming the key; it never clamps silently.
// Every key, default and bound is documented in docs/spec.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace liandan {

enum class Activation { linear, relu, leaky_relu, elu, gelu, sigmoid, tanh };
enum class LossType { mse, bce, cross_entropy };
enum class InitScheme { he, xavier, lecun, normal, zeros };
enum class Task { classification, regression };

struct ToySpec {
    std::string shape = "spiral"; // see toy.h for the list
    int n = 500;                  // points generated, train and test together
    double noise = 0.1;           // 0..1; TensorFlow Playground's noise percent / 100
    uint64_t seed = 1;            // generator seed, independent of training
};

struct DataSpec {
    std::string source = "toy";
    ToySpec toy;
    std::vector<std::string> features = {"x", "y"};
    double test_fraction = 0.5;
    std::string normalize = "none"; // none | standard | minmax
    bool shuffle = false;            // shuffle rows before the split (toy data is generated shuffled)
};

struct LayerSpec {
    std::string type = "dense";
    int units = 0;
    Activation activation = Activation::linear;
};

struct ModelSpec {
    std::vector<int> input; // shape of one sample; empty = taken from the data
    std::vector<LayerSpec> layers;
};

struct LossSpec {
    LossType type = LossType::bce;
};

struct OptimizerSpec {
    std::string type = "sgd";
    double lr = 0.03;
    double momentum = 0.0;
    bool nesterov = false;
    double weight_decay = 0.0; // L2, added to the gradient as PyTorch's SGD does
    double l1 = 0.0;
};

struct InitSpec {
    InitScheme scheme = InitScheme::xavier;
    uint64_t seed = 1;
};

struct TrainSpec {
    int batch_size = 10;
    int epochs = 100;
    uint64_t seed = 1; // batch order
    bool shuffle = true;
    int threads = 1;
};

struct LimitsSpec {
    double memory_mb = 512; // refuse a run whose estimate exceeds this (a browser tab's budget)
};

struct Spec {
    DataSpec data;
    ModelSpec model;
    LossSpec loss;
    OptimizerSpec optimizer;
    InitSpec init;
    TrainSpec train;
    LimitsSpec limits;
};

// The spec every field of which is its default: a 2-8-1 tanh net on the spiral.
Spec default_spec();

// Parses and validates; throws Error naming the key at fault.
Spec parse_spec(const nlohmann::json &j);
Spec parse_spec_text(const std::string &text, const std::string &origin = "spec");
nlohmann::json spec_to_json(const Spec &spec);

// Sets a dotted path ("optimizer.lr", "model.layers[0].units") to a value given as text; the text
// is read as JSON when it parses, else as a string. Throws Error naming the path if it is malformed.
void set_by_path(nlohmann::json &j, const std::string &path, const std::string &value_text);

const char *activation_name(Activation a);
const char *loss_name(LossType t);

} // namespace liandan
