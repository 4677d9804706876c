// The layer stack editor's model (any input: images, tables, plane features): each layer's output
// shape, parameter count and memory, the first layer that does not fit and why, in the
// interface's words ("layer 3", not model.layers[2]); and the edits (insert, remove, move) with
// defaults that fit where they go. The app keeps an invalid stack as a draft and trains only a
// stack that fits.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/shapes.h"
#include "spec.h"

namespace liandan {

struct StackRow {
    Shape out;          // the layer's output for one sample
    int64_t params = 0; // trainable values
    double bytes = 0;   // its share of the run's memory: activations at the evaluation batch, parameters with gradients and optimizer state
};

struct StackSummary {
    std::vector<StackRow> rows; // one per layer up to the first that does not fit
    int error_layer = -1;       // that layer's index, or -1
    std::string error;          // why, naming it as the interface does ("layer 3: ...")
    int64_t params = 0;
    double bytes = 0;
    bool ok() const { return error_layer < 0; }
};

// Shapes, sizes and the first fault of `layers` on samples of `input`, for batch size `batch`
// and `optimizer`'s state.
StackSummary summarize_stack(const std::vector<LayerSpec> &layers, Shape input, int batch, OptimizerType optimizer);

// "model.layers[2].kernel: ..." → "layer 3, kernel: ..." (also inside residual blocks: "layer 3, block layer 1").
std::string interface_key_text(const std::string &message);

// A new layer of `type` that fits after a layer whose output is `in`: conv2d 8 filters 3×3 same
// relu, pools of 2, dense 32 relu, dropout 0.25, batchnorm, and a residual block of two layers
// that give back `in` (3×3 convolutions on images, dense layers on vectors).
LayerSpec default_layer(LayerType type, Shape in);

// One-line settings of a layer, as the editor's row and the network view's headers show them:
// "8 filters 5×5, same, relu", "2×2", "32 relu", "rate 0.25".
std::string layer_settings_text(const LayerSpec &layer);

} // namespace liandan
