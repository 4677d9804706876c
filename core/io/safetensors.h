// Weights as safetensors (docs/design.md, contract 3): tensors layers.<i>.weight / layers.<i>.bias in
// PyTorch layouts, float32 little-endian, so the file loads into the equivalent torch model.
#pragma once
#include <string>

#include "nn/model.h"

namespace liandan {

void save_safetensors(const Model &model, const std::string &path);
// Refuses a file that is malformed or does not match the model, naming the tensor and both shapes.
void load_safetensors(Model &model, const std::string &path);

} // namespace liandan
