// Points an experiment at data files (a dropped CSV, a pair of IDX files) and fits the model's
// ends to them: model.input, the last layer's width and the loss follow the data; the hidden
// layers, optimizer, schedule, init and training settings the user chose are kept.
#pragma once
#include <string>

#include "spec.h"

namespace liandan {

// The most classes a numeric target column is read as before it counts as a regression target.
constexpr int k_max_numeric_classes = 32;

// data.source csv with the file and target column ("" = the last column). The target decides the
// task: text, or whole numbers 0 … k_max_numeric_classes - 1 → classification (bce for two
// classes unless the spec already used cross_entropy, else cross_entropy); other numbers →
// regression (mse). Reads the whole file once with the loader's checks; throws Error naming the
// file, line or key. Re-targeting the file already in use keeps its data settings.
Spec spec_for_csv(const Spec &current, const std::string &path, const std::string &target = "");

// data.source idx with images [N, ...] and labels [N] (checked: counts, label range).
Spec spec_for_idx(const Spec &current, const std::string &images, const std::string &labels);

} // namespace liandan
