// The playground's view of a model: a stack of hidden dense layers (units and activation each)
// with switches for batchnorm, dropout and residual connections, and an output layer fitted to
// the data. The app edits this and writes it back as spec layers; a spec whose layers do not
// follow the pattern (a conv net, say) has no design and is shown as it is.
#pragma once
#include <optional>
#include <vector>

#include "spec.h"

namespace liandan {

struct HiddenLayer {
    int units = 4;
    Activation activation = Activation::tanh;
};

struct NetDesign {
    std::vector<HiddenLayer> hidden;
    bool batchnorm = false; // dense (linear) → batchnorm (activation) in every hidden layer
    double dropout = 0;     // dropout of this rate after every hidden layer (0 = none)
    bool residual = false;  // a hidden layer whose input has its width adds its input to its output
    int outputs = 1;
};

// The layers the design stands for, given the input width (for residual eligibility).
std::vector<LayerSpec> design_layers(const NetDesign &d, int input_width);
// The design of these layers, or nothing when they are not of the playground's pattern.
std::optional<NetDesign> design_of(const std::vector<LayerSpec> &layers);

// The input width of toy/points data: the number of features.
int toy_input_width(const Spec &spec);

// After a change of data set or classes: the loss and the output width the data needs (mse for
// regression, bce for two classes unless mse was chosen, cross_entropy for k classes).
void fit_output_to_data(Spec &spec);

} // namespace liandan
