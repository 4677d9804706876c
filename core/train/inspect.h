// What the playground shows of a model besides its metrics: every unit's response over the toy
// plane (neuron maps), per-layer gradient norms, dead and saturated units, weight histograms.
// Computed on the trainer's thread at publish time; views only draw the result.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/shapes.h"
#include "spec.h"

namespace liandan {

class Trainer;

// One column of units in the network picture: the input features (layer -1) or a top-level spec
// layer whose output is a vector (dense, batchnorm, dropout, residual, ... on vector data).
struct NeuronColumn {
    int layer = -1;             // index in spec.model.layers; -1 for the input features
    std::string label;          // "x", "dense 16 tanh", ...
    int units = 0;              // U
    Activation activation = Activation::linear;
    // Dense columns: their weight [U, fan_in] and bias [U] in the snapshot's params, connecting the
    // previous column (fan_in = its units) to this one. -1 when the layer has no dense weights.
    long weight_offset = -1, bias_offset = -1;
    int fan_in = 0;
    std::vector<std::string> unit_names; // features: their names; units: empty
    std::vector<float> maps;    // [U, M*M]: the unit's value at each cell of the plane, row 0 at y = +extent
    float lo = 0, hi = 0;       // value range of the maps, for colouring
    int dead = -1, saturated = -1; // units never active / pinned at a bound on the probe rows (-1: not defined for this activation)
};

struct LayerStats {
    std::string name;        // "layers.3"
    double grad_norm = 0;    // L2 norm of the last step's gradient of its weight and bias
    double weight_norm = 0;
    float hist_lo = 0, hist_hi = 0;
    std::vector<int> histogram; // weights (not biases) in k_hist_bins equal bins over [hist_lo, hist_hi]
};

struct Inspection {
    uint64_t id = 0;                  // a new one for each inspection a session makes (views key caches on it)
    int map_size = 0;                 // M: cells per side of every neuron map
    std::vector<NeuronColumn> columns; // columns[0] is the input features (toy data only)
    std::vector<LayerStats> layers;    // every spec layer with a weight tensor, in order
};

constexpr int k_hist_bins = 32;

// Neuron maps need plane data (data.toy); the stats work for every data set. map_inputs holds the
// features of every map cell [M*M, F] (from Dataset::features_of_point), or is empty.
Inspection inspect(Trainer &trainer, int map_size, const std::vector<float> &map_inputs);

// inspect() in pieces (a big network's snapshot in slices): each advance() forwards one chunk of
// at most max_rows map cells or probe rows, or sums one layer's statistics. The weights must not
// change between calls; map_inputs must outlive the builder.
class InspectionBuilder {
public:
    InspectionBuilder(Trainer &trainer, int map_size, const std::vector<float> &map_inputs);
    bool advance(int max_rows); // true when the inspection is complete
    Inspection take() { return std::move(out_); }

private:
    enum class Stage { maps, health, stats, done };
    Trainer &trainer_;
    const std::vector<float> &map_inputs_;
    Inspection out_;
    std::vector<int> entry_of_column_; // the model body's entry whose output each column shows (-1: the features)
    std::vector<std::vector<char>> active_; // per column and unit: above zero on some probe row
    std::vector<std::vector<int>> pinned_;  // per column and unit: probe rows near a bound
    int cells_ = 0, probe_rows_ = 0, row_ = 0;
    size_t layer_ = 0;
    Stage stage_ = Stage::maps;
};

// One input's way through the network (the image views' activation maps and the drawing pad):
// every spec layer's output for it, after its activation, and the class probabilities.
struct Probe {
    uint64_t id = 0;          // the probe command's, so a view knows which input it shows
    std::vector<float> input; // the features probed [F], normalized as the data
    struct LayerOutput {
        int layer = 0; // index in spec.model.layers
        Shape shape;
        std::vector<float> values; // [C, H, W] or [U]
    };
    std::vector<LayerOutput> layers;
    std::vector<float> probabilities; // classification: [K]
};
Probe probe_network(Trainer &trainer, uint64_t id, const std::vector<float> &input);

// The side of neuron maps for a network with this many vector units in its columns: as fine as
// 32×32 while the maps together stay under about a million values.
int neuron_map_size(int total_units);

} // namespace liandan
