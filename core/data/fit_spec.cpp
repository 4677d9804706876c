// Spec edits for data files: choose the task and sizes from a cheap look at the files, then make
// the ends of the network agree with them. The trainer still checks everything when the run is built.
#include "data/fit_spec.h"

#include <algorithm>

#include "data/catalog.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/idx.h"
#include "util/error.h"

namespace liandan {
namespace {

// Layers that take a vector and give one back, so hidden layers made for 2-D toy data carry
// over to a CSV's columns.
bool vector_layers(const std::vector<LayerSpec> &layers) {
    return std::all_of(layers.begin(), layers.end(), [](const LayerSpec &l) {
        switch (l.type) {
        case LayerType::dense:
        case LayerType::dropout:
        case LayerType::batchnorm: return true;
        case LayerType::residual: return vector_layers(l.layers);
        default: return false;
        }
    });
}

// Sets model.input, the output width and the loss for data of `shape` with `classes` classes
// (0 = regression); keeps the hidden layers when they suit the input, else a small default.
void fit_model(Spec &s, const std::vector<int> &shape, int classes) {
    std::vector<LayerSpec> hidden(s.model.layers.begin(), s.model.layers.end() - (s.model.layers.empty() ? 0 : 1));
    if (!s.model.layers.empty() && s.model.layers.back().type != LayerType::dense) hidden = s.model.layers; // no dense head: add one
    if (shape.size() == 1 && !vector_layers(hidden)) {
        LayerSpec l;
        l.units = 16;
        l.activation = Activation::relu;
        hidden = {l};
    }
    LossType loss = LossType::mse;
    int outputs = 1;
    if (classes > 2 || (classes == 2 && s.loss.type == LossType::cross_entropy)) loss = LossType::cross_entropy, outputs = classes;
    else if (classes == 2) loss = LossType::bce;
    LayerSpec head;
    head.units = outputs;
    s.model.layers = hidden;
    s.model.layers.push_back(head);
    s.model.input = shape;
    s.loss.type = loss;
    s.loss.class_weights.clear();
    if (shape.size() != 3) s.train.augment = {}; // it moves images: rows of features have none to move
}

// Data settings that suit a file: a held-out fifth, rows shuffled (files are often sorted by class).
void file_data_defaults(DataSpec &d) {
    d.test_fraction = 0.2;
    d.test_fraction_set = true;
    d.shuffle = true;
    d.limit = 0;
    d.test_images.clear();
    d.test_labels.clear();
}

} // namespace

Spec spec_for_csv(const Spec &current, const std::string &path, const std::string &target) {
    CsvColumns file = read_csv_columns(expand_path(path)); // the spec keeps ${LIANDAN_DATA} as written
    const CsvColumn *t = target.empty() ? &file.columns.back() : nullptr;
    for (auto &c : file.columns)
        if (c.name == target) t = &c;
    if (!t) throw Error("data.target", "no column '" + target + "' in " + path);

    int classes = 0; // regression unless the target reads as class labels
    if (!t->numeric) {
        if (t->distinct > 256)
            throw Error("data.target", "column '" + t->name + "' is text with " + std::to_string(t->distinct) +
                                           " distinct values, too many to be classes; choose another target column");
        classes = t->distinct;
    } else if (t->integral && t->min >= 0 && t->max < k_max_numeric_classes) {
        classes = int(t->max) + 1;
    }
    if (classes == 1) throw Error("data.target", "column '" + t->name + "' holds a single class; choose another target column");
    int features = 0;
    for (auto &c : file.columns)
        if (&c != t) features += c.numeric ? 1 : c.distinct; // text inputs are one-hot encoded
    if (features > 256 * 256) throw Error(path, "has " + std::to_string(features) + " input features after one-hot encoding");

    Spec s = current;
    const DataSpec in_use = resolve_named_set(current.data);
    const bool same_file = in_use.source == DataSource::csv && in_use.path == path;
    if (!same_file) {
        s.data = DataSpec{};
        file_data_defaults(s.data);
        s.data.normalize = Normalize::standard; // columns come in any units
    }
    if (!same_file || !named_set(current.data.source)) { // a named table keeps its name
        s.data.source = DataSource::csv;
        s.data.path = path;
    }
    s.data.target = t->name;
    s.data.features.clear();
    fit_model(s, {features}, classes);
    return s;
}

Spec spec_for_idx(const Spec &current, const std::string &images, const std::string &labels) {
    IdxHeader ih = read_idx_header(expand_path(images)), lh;
    if (ih.dims.size() < 2) throw Error(images, "holds labels (one dimension), not images");
    std::vector<uint8_t> label_bytes = read_idx(expand_path(labels), lh);
    if (lh.dims.size() != 1) throw Error(labels, "is not a label file (it has " + std::to_string(lh.dims.size()) + " dimensions)");
    if (ih.dims[0] != lh.dims[0])
        throw Error(labels, "has " + std::to_string(lh.dims[0]) + " labels but " + images + " has " + std::to_string(ih.dims[0]) + " images");
    const int classes = label_bytes.empty() ? 0 : *std::max_element(label_bytes.begin(), label_bytes.end()) + 1;
    if (classes < 2) throw Error(labels, "holds a single class");

    std::vector<int> shape(ih.dims.begin() + 1, ih.dims.end());
    if (shape.size() == 2) shape.insert(shape.begin(), 1); // [H, W] -> [1, H, W], as the loader reads it
    Spec s = current;
    s.data = DataSpec{};
    file_data_defaults(s.data);
    s.data.source = DataSource::idx;
    s.data.images = images;
    s.data.labels = labels;
    s.data.features.clear();
    fit_model(s, shape, classes);
    return s;
}

} // namespace liandan
