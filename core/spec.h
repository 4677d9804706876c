// The experiment spec: the single description of an experiment (docs/design.md, contract 1).
// Parsing refuses what it cannot honour with an Error naming the key; it never clamps silently.
// Every key, default and bound is documented in docs/spec.md.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace liandan {

enum class Activation { linear, relu, leaky_relu, elu, gelu, sigmoid, tanh, softmax };
enum class LayerType { dense, conv2d, maxpool, avgpool, flatten, dropout, batchnorm, residual };
enum class Padding { valid, same };
enum class LossType { mse, bce, cross_entropy };
enum class OptimizerType { sgd, adam, adamw, rmsprop };
enum class ScheduleType { constant, step, exponential, cosine };
enum class InitScheme { he, xavier, lecun, normal, zeros };
enum class Task { classification, regression };
enum class DataSource { toy, points, csv, idx, mnist, fashion_mnist, iris, breast_cancer, boston_housing };
enum class Normalize { none, standard, minmax };
enum class SpeedUnit { epochs, steps };

struct ToySpec {
    std::string shape = "spiral"; // see toy.h for the list
    int n = 500;                  // points generated, train and test together
    double noise = 0.1;           // 0..1; TensorFlow Playground's noise percent / 100
    int classes = 0;              // k for the k-class sets; 0 = the set's own (2 for binary sets)
    uint64_t seed = 1;            // generator seed, independent of training
};

struct DataSpec {
    DataSource source = DataSource::toy;
    ToySpec toy;
    std::vector<float> points; // points: [N, 3] rows of x, y, label (class index, or a value for mse), drawn by the user
    std::vector<std::string> features = {"x", "y"}; // toy: engineered features; csv: columns (empty = all but the target)
    std::string path, target;                       // csv: file and target column (named tables: the target, "" = the set's)
    std::string images, labels;                     // idx: training files (plain or .gz)
    std::string test_images, test_labels;           // idx: optional official test split
    std::string dir;                                // a named set (data/catalog.h): its folder, "" = the data root's
    int limit = 0;                                  // use only the first N rows of each file (0 = all)
    double test_fraction = 0.5;
    bool test_fraction_set = false; // given explicitly (refused together with an official test split)
    Normalize normalize = Normalize::none;
    bool shuffle = false; // shuffle rows before the split (toy data is generated shuffled)
    // Two classes: the rarer class's share of the training rows, lowered to this by leaving out its
    // later rows (0 = as the data has it); the test rows keep theirs. Shows what a rare class does.
    double minority_share = 0;
};

struct LayerSpec {
    LayerType type = LayerType::dense;
    int units = 0;                     // dense
    int filters = 0, kernel = 3;       // conv2d
    int stride = 0;                    // conv2d (default 1), pools (default = size)
    Padding padding = Padding::valid;  // conv2d
    int size = 2;                      // pools
    double rate = 0.5;                 // dropout
    double momentum = 0.1, eps = 1e-5; // batchnorm (PyTorch's defaults)
    std::vector<LayerSpec> layers;     // residual: output = input + layers(input)
    Activation activation = Activation::linear;
};

struct ModelSpec {
    std::vector<int> input; // shape of one sample; empty = taken from the data
    std::vector<LayerSpec> layers;
};

struct LossSpec {
    LossType type = LossType::bce;
    std::vector<double> class_weights; // empty = all 1
};

struct ScheduleSpec {
    ScheduleType type = ScheduleType::constant;
    int step_size = 10;    // step: epochs between decays
    double gamma = 0.1;    // step, exponential: decay factor
    int t_max = 0;         // cosine: period in epochs (0 = train.epochs)
    double min_lr = 0.0;   // cosine: floor
    int warmup_steps = 0;  // linear warmup from lr/warmup_steps, any schedule
};

struct OptimizerSpec {
    OptimizerType type = OptimizerType::sgd;
    double lr = 0.03;          // default depends on type: sgd 0.03 (Playground), adam/adamw 1e-3, rmsprop 1e-2
    double momentum = 0.0;     // sgd, rmsprop
    bool nesterov = false;     // sgd
    double beta1 = 0.9, beta2 = 0.999; // adam, adamw
    double eps = 1e-8;         // adam, adamw, rmsprop
    double alpha = 0.99;       // rmsprop smoothing
    bool centered = false;     // rmsprop
    double weight_decay = 0.0; // L2 (coupled); decoupled for adamw, whose default is 0.01
    double l1 = 0.0;
    double clip_norm = 0.0;    // clip the global gradient norm to this (0 = off)
    ScheduleSpec schedule;
};

struct InitSpec {
    InitScheme scheme = InitScheme::xavier;
    uint64_t seed = 1;
};

// Random changes to each training image as its batch is gathered (never to evaluation rows): a
// net that sees its few thousand digits a pixel off now and then learns strokes, not positions.
// torchvision's RandomCrop(size, padding=shift) and RandomHorizontalFlip, on the raw pixels.
struct AugmentSpec {
    static constexpr int k_max_shift = 8;
    int shift = 0;     // move each image by up to this many pixels in x and y, the edge filled with 0
    bool flip = false; // mirror half the images left to right (clothes, not digits)
    bool on() const { return shift > 0 || flip; }
    bool operator==(const AugmentSpec &) const = default;
};

struct TrainSpec {
    int batch_size = 10;
    int epochs = 100;
    uint64_t seed = 1; // batch order, dropout masks
    bool shuffle = true;
    int threads = 1;
    double target_loss = 0; // stop rule: pause once the training loss is at or below this (0 = off)
    AugmentSpec augment;    // images only
};

struct LimitsSpec {
    double memory_mb = 512; // refuse a run whose estimate exceeds this (a browser tab's budget)
};

// How the app shows the experiment; no effect on training. TensorFlow Playground keeps these in
// its URL too (showTestData, discretize, hideText, <control>_hide), so they travel with the spec.
struct ViewSpec {
    bool show_test_data = true;      // draw the test points over the decision map
    bool discretize = false;         // show the decision map as classes instead of probabilities
    bool hide_text = false;          // a page around the app may hide its explanations
    // The app's pace: speed epochs (or steps) a second, 0 = as fast as the machine goes. By
    // default slow enough to watch a network learn (TensorFlow Playground runs an epoch a frame).
    // Only the app paces; the trainer, the CLI and a Session that was not told never wait.
    double speed = 30;
    SpeedUnit speed_unit = SpeedUnit::epochs;
    std::vector<std::string> hidden; // controls not shown, by their URL key (view_control_names())
    bool operator==(const ViewSpec &) const = default;
};

struct Spec {
    DataSpec data;
    ModelSpec model;
    LossSpec loss;
    OptimizerSpec optimizer;
    InitSpec init;
    TrainSpec train;
    LimitsSpec limits;
    ViewSpec view;
};

// The spec every field of which is its default: a 2-8-1 tanh net on the spiral.
Spec default_spec();

// Parses and validates; throws Error naming the key at fault. Checks that need the data's shape
// (input, output width, memory) are done by check_spec_against_data once the data is known.
Spec parse_spec(const nlohmann::json &j);
Spec parse_spec_text(const std::string &text, const std::string &origin = "spec");
nlohmann::json spec_to_json(const Spec &spec);

// Sets a dotted path ("optimizer.lr", "model.layers[0].units") to a value given as text; the text
// is read as JSON when it parses, else as a string. Throws Error naming the path if it is malformed.
void set_by_path(nlohmann::json &j, const std::string &path, const std::string &value_text);

// A value of an enum and its name in the spec: the one table that parsing, printing and the views'
// lists use.
template <class E> struct Named {
    E value;
    const char *name;
};
std::span<const Named<OptimizerType>> optimizer_choices();
std::span<const Named<ScheduleType>> schedule_choices();
std::span<const Named<InitScheme>> init_choices();
// The activations a hidden layer offers, in TensorFlow Playground's order first (softmax belongs to the loss).
std::span<const Activation> hidden_activations();

const char *activation_name(Activation a);
const char *speed_unit_name(SpeedUnit u); // "epochs", "steps"
const char *loss_name(LossType t);
const char *layer_type_name(LayerType t);
const char *optimizer_name(OptimizerType t);
const char *data_source_name(DataSource s);
// IDX data with a test split of its own (test files, or a named image set): test_fraction does not apply.
bool has_official_test_split(const DataSpec &d);
// The controls view.hidden may name: TensorFlow Playground's hidable controls and input features.
const std::vector<std::string> &view_control_names();

} // namespace liandan
