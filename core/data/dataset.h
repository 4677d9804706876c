// A data set ready for training: rows of features split into train and test, plus what views
// need (the 2-D points of toy data and the transform from a plane point to features).
// Sources: toy generators, CSV, IDX, and the fetched MNIST / Fashion-MNIST (scripts/fetch-data).
#pragma once
#include <string>
#include <vector>

#include "data/csv.h"
#include "spec.h"
#include "util/memory_limit.h"

namespace liandan {

struct Split {
    std::vector<float> x;     // [N, F] features, normalized
    std::vector<float> y;     // [N]: class index or value
    std::vector<float> point; // [N, 2] the toy point each row came from (toy data only)
    int n = 0;
};

// What a raw row is before it becomes features (what a model exported to PyTorch takes):
// a plane point (x, y) for the toy sets and drawn points, a table's input columns, or an image's
// bytes (scaled by 1/255).
enum class RawInput { plane_point, columns, pixels };

struct Dataset {
    Task task = Task::classification;
    RawInput raw_input = RawInput::columns;
    std::vector<InputColumn> input_columns; // columns: the table's, in file order
    int n_classes = 2;             // 0 for regression
    std::vector<int> sample_shape; // [F] or [C, H, W]
    int n_features = 0;            // F: product of sample_shape
    Split train, test;
    std::vector<std::string> feature_names, class_names;
    bool toy = false;              // rows come from plane points: views can draw decision maps
    std::vector<float> feature_offset, feature_scale; // normalized = (raw - offset) * scale

    // Features of a plane point (x, y), normalized like the training rows: out [F] (toy data).
    void features_of_point(float x, float y, float *out) const;
    // Features of the centres of a G × G grid over [-extent, extent]², row 0 at y = +extent: [G*G, F].
    std::vector<float> plane_grid_features(int G) const;
};

// Loads or generates the data the spec describes. The loss decides how CSV targets are read
// (mse: numbers; otherwise class labels). Throws Error naming the key or file at fault; files
// larger than memory_mb are refused before they are read.
Dataset make_dataset(const DataSpec &spec, LossType loss, const MemoryLimit &memory_mb);

// Where scripts/fetch-data puts the fetched sets: $LIANDAN_DATA, else $LIANDAN_CACHE/data, else
// ~/.cache/liandan/data (under $XDG_CACHE_HOME if set).
std::string data_root();
// A path with a leading ${LIANDAN_DATA} resolved to data_root(), so presets can name fetched files.
std::string expand_path(const std::string &path);

} // namespace liandan
