// The named data sets and their proposed networks (catalog.h).
#include "data/catalog.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "util/ui_text.h"

namespace liandan {

namespace {

using json = nlohmann::json;

const std::vector<std::string> k_idx_files = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                              "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

// Image networks, the proposed one first. LeNet after LeCun et al. (1998) with max pooling, relu
// and twice its filters (measured: 98.7% on the 2,000 test digits, where 6 and 16 stop near 98%);
// ConvNetJS's MNIST demo net as its page defines it (its Adadelta becomes Adam here).
const std::vector<NetworkPreset> k_image_presets = {
    {"lenet", N_("LeNet-like CNN"),
     N_("Two 5×5 convolutions (12 and 24 filters: twice LeNet-5's) with max pooling, then dense 120 (with dropout) and 84: "
        "LeCun's classic layout, with relu, a cosine learning-rate decay over 20 epochs and each training image shifted by up "
        "to a pixel. Over 98% on MNIST digits within a minute."),
     R"({"model": {"layers": [
          {"type": "conv2d", "filters": 12, "kernel": 5, "padding": "same", "activation": "relu"}, {"type": "maxpool", "size": 2},
          {"type": "conv2d", "filters": 24, "kernel": 5, "activation": "relu"}, {"type": "maxpool", "size": 2},
          {"type": "flatten"}, {"type": "dense", "units": 120, "activation": "relu"}, {"type": "dropout", "rate": 0.4},
          {"type": "dense", "units": 84, "activation": "relu"}, {"type": "dense", "units": 10}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "lr": 0.002, "schedule": {"type": "cosine"}},
        "init": {"scheme": "he"}, "train": {"batch_size": 32, "epochs": 20, "augment": {"shift": 1}}})"},
    {"mlp", N_("MLP"),
     N_("Flatten the image and use two dense relu layers (128, 64): no idea that nearby pixels belong together. "
        "About 95% on MNIST digits."),
     R"({"model": {"layers": [
          {"type": "flatten"}, {"type": "dense", "units": 128, "activation": "relu"},
          {"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": 10}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "lr": 0.001},
        "init": {"scheme": "he"}, "train": {"batch_size": 32}})"},
    {"convnetjs", N_("ConvNetJS MNIST net"),
     N_("The net of ConvNetJS's MNIST demo: conv 8 filters 5×5, pool 2, conv 16 filters 5×5, pool 3, softmax "
        "(batch 20, L2 0.001)."),
     R"({"model": {"layers": [
          {"type": "conv2d", "filters": 8, "kernel": 5, "padding": "same", "activation": "relu"}, {"type": "maxpool", "size": 2},
          {"type": "conv2d", "filters": 16, "kernel": 5, "padding": "same", "activation": "relu"}, {"type": "maxpool", "size": 3},
          {"type": "flatten"}, {"type": "dense", "units": 10}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "lr": 0.001, "weight_decay": 0.001},
        "init": {"scheme": "he"}, "train": {"batch_size": 20}})"},
};

std::vector<NetworkPreset> table_preset(const char *json_text) {
    return {{"table-mlp", N_("Small MLP"), N_("A small dense network for this table, with standardized inputs."), json_text}};
}

const std::vector<NamedSet> k_sets = {
    {"mnist", DataSource::mnist, N_("MNIST digits"), "mnist", k_idx_files,
     N_("10,000 handwritten digits of 28 × 28 pixels (8,000 train, 2,000 test), 10 classes"),
     N_("Why convolutions beat dense layers on images: see the filters and what each layer looks at."), "", true,
     k_image_presets, ""},
    {"fashion-mnist", DataSource::fashion_mnist, N_("Fashion-MNIST"), "fashion-mnist", k_idx_files,
     N_("70,000 clothing photos of 28 × 28 pixels (60,000 train, 10,000 test), 10 classes"),
     N_("A harder MNIST: shirts, coats and pullovers look alike, and the confusion matrix shows it."), "", true,
     k_image_presets, ""},
    {"iris", DataSource::iris, N_("Iris flowers"), "tabular", {"iris.csv.gz"},
     N_("150 flowers, 4 measurements, 3 species"),
     N_("A first table: three classes, two of them overlapping; a tiny network separates them."), "species", false,
     table_preset(R"({"model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"}, {"type": "dense", "units": 3}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "lr": 0.01}, "train": {"batch_size": 16}})"),
     R"({"shuffle": true, "test_fraction": 0.3, "normalize": "standard"})"},
    {"breast-cancer", DataSource::breast_cancer, N_("Breast cancer"), "tabular", {"breast_cancer.csv.gz"},
     N_("569 tumours, 30 measurements, malignant or benign"),
     N_("Two classes where mistakes differ in cost: the ROC curve, the threshold and class weights."), "diagnosis", false,
     table_preset(R"({"model": {"layers": [{"type": "dense", "units": 32, "activation": "relu"}, {"type": "dropout", "rate": 0.2},
          {"type": "dense", "units": 2}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adamw", "lr": 0.003}, "train": {"batch_size": 32}})"),
     R"({"shuffle": true, "test_fraction": 0.25, "normalize": "standard"})"},
    {"boston-housing", DataSource::boston_housing, N_("Boston house prices"), "tabular", {"boston_house_prices.csv.gz"},
     N_("506 districts, 13 features, the median price (regression)"),
     N_("Regression: predicted against actual, residuals, RMSE and R²."), "MEDV", false,
     table_preset(R"({"model": {"layers": [{"type": "dense", "units": 64, "activation": "relu"},
          {"type": "dense", "units": 32, "activation": "relu"}, {"type": "dense", "units": 1}]},
        "loss": {"type": "mse"}, "optimizer": {"type": "adam", "lr": 0.003}, "train": {"batch_size": 16}})"),
     R"({"shuffle": true, "test_fraction": 0.2, "normalize": "standard"})"},
};

std::string folder_path(const NamedSet &set, const DataSpec &data) {
    return data.dir.empty() ? data_root() + "/" + set.folder : expand_path(data.dir);
}

} // namespace

const std::vector<NamedSet> &named_sets() { return k_sets; }

std::string samples_file(const NamedSet &set) { return std::string(set.folder) + "/samples-idx3-ubyte.gz"; }

const NamedSet *named_set(DataSource source) {
    for (const NamedSet &s : k_sets)
        if (s.source == source) return &s;
    return nullptr;
}

const NamedSet *named_set(std::string_view name) {
    for (const NamedSet &s : k_sets)
        if (name == s.name) return &s;
    return nullptr;
}

DataSpec resolve_named_set(const DataSpec &data) {
    const NamedSet *set = named_set(data.source);
    if (!set) return data;
    DataSpec d = data;
    const std::string dir = folder_path(*set, data);
    if (set->images) {
        d.source = DataSource::idx;
        d.images = dir + "/" + set->files[0];
        d.labels = dir + "/" + set->files[1];
        d.test_images = dir + "/" + set->files[2];
        d.test_labels = dir + "/" + set->files[3];
    } else {
        d.source = DataSource::csv;
        d.path = dir + "/" + set->files[0];
        if (d.target.empty()) d.target = set->target;
    }
    return d;
}

std::vector<std::string> data_root_files(const DataSpec &data) {
    std::vector<std::string> files;
    if (const NamedSet *set = named_set(data.source); set && data.dir.empty()) {
        for (const std::string &f : set->files) files.push_back(std::string(set->folder) + "/" + f);
        return files;
    }
    const std::string var = "${LIANDAN_DATA}/";
    for (const std::string *path : {&data.path, &data.images, &data.labels, &data.test_images, &data.test_labels, &data.dir})
        if (path->rfind(var, 0) == 0) files.push_back(path->substr(var.size()));
    return files;
}

std::vector<std::string> missing_data_root_files(const DataSpec &data) {
    std::vector<std::string> missing;
    for (const std::string &file : data_root_files(data))
        if (std::error_code e; !std::filesystem::exists(data_root() + "/" + file, e)) missing.push_back(file);
    return missing;
}

Spec proposed_spec(const NamedSet &set, const NetworkPreset &preset, const Spec &current) {
    json j = json::parse(preset.json);
    j["data"] = set.data_json[0] ? json::parse(set.data_json) : json::object();
    j["data"]["source"] = set.name;
    Spec spec = parse_spec(j);
    spec.view = current.view;
    spec.limits = current.limits;
    spec.train.threads = current.train.threads;
    return spec;
}

Spec with_network_preset(const Spec &current, const NetworkPreset &preset) {
    const Spec p = parse_spec(json::parse(preset.json));
    Spec spec = current;
    spec.model.layers = p.model.layers;
    spec.loss.type = p.loss.type;
    spec.optimizer = p.optimizer;
    spec.init = p.init;
    spec.train.batch_size = p.train.batch_size;
    spec.train.epochs = p.train.epochs;
    spec.train.augment = p.train.augment;
    return spec;
}

} // namespace liandan
