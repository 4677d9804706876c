// Export to PyTorch: a short Python file that builds the spec's network as a torch.nn.Module whose
// state_dict names are the safetensors file's (docs/spec.md), loads that file unchanged, prepares
// raw rows as Liandan does (plane features, table columns, image scaling, normalization), and can
// go on training with the same loss, optimizer and schedule. Its interface: load(path) gives the
// module in eval mode; predict(model, rows) gives the network's outputs for raw rows as a NumPy
// array; fit(model, rows, targets, epochs) trains on.
#pragma once
#include <string>

#include "data/dataset.h"
#include "spec.h"

namespace liandan {

// data: the rows the spec's run was made from (their statistics and input columns go into the file).
std::string pytorch_module(const Spec &spec, const Dataset &data);

} // namespace liandan
