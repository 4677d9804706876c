// A data set ready for training: feature rows split into train and test, plus what views need
// (the raw 2-D points of toy data, and the transform that turns a plane point into features).
#pragma once
#include <string>
#include <vector>

#include "spec.h"

namespace liandan {

struct Split {
    std::vector<float> x;     // [N, F] features, normalized
    std::vector<float> y;     // [N, T] targets: class index (T = 1) or value(s)
    std::vector<float> point; // [N, 2] the toy point each row came from (for plots)
    int n = 0;
};

struct Dataset {
    Task task = Task::classification;
    int n_classes = 2;  // 0 for regression
    int n_features = 0; // F
    int n_targets = 1;  // T
    Split train, test;
    std::vector<std::string> features;
    std::vector<float> feature_offset, feature_scale; // normalized = (raw - offset) * scale

    // Features of a plane point (x, y), normalized like the training rows: out [F].
    void features_of_point(float x, float y, float *out) const;
};

Dataset make_dataset(const DataSpec &spec);

} // namespace liandan
