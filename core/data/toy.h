// Toy 2-D data sets: TensorFlow Playground's four classification and two regression sets, with
// its formulas, so a Playground link gives the same kind of points. Coordinates lie in [-6, 6].
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spec.h"

namespace liandan {

struct ToyInfo {
    const char *name;  // data.toy.shape
    const char *title; // what the interface calls it: "Two spirals"
    Task task;
    int classes;    // 0 for regression; the default k for k-class sets
    bool k_classes; // the number of classes is set by data.toy.classes
};

// Known shapes: TensorFlow Playground's spiral, circle, xor, gauss (classification), plane,
// multigauss (regression); and moons, checkerboard, spirals (k arms), blobs (k clusters).
const std::vector<std::string> &toy_shape_names();
const ToyInfo &toy_info(const std::string &shape); // asserts a known shape (the spec checked it)

struct ToyPoints {
    std::vector<float> xy;    // [N, 2]
    std::vector<float> label; // [N]: class index for classification, value in [-1, 1] for regression
};

// Generates spec.n points, already in random order (TensorFlow Playground shuffles its points too).
ToyPoints make_toy(const ToySpec &spec);

// The nine plane features, in TensorFlow Playground's input order (also the spec's canonical
// order): the spec's name, the Playground URL key, and the label views show. The one list of them.
struct PlaneFeature {
    const char *name, *url_key, *label;
};
std::span<const PlaneFeature> plane_features();

// Number of inputs and the feature transform (x, y) -> the spec's feature list.
constexpr float k_toy_extent = 6.0f;
void toy_features(const std::vector<std::string> &features, float x, float y, float *out);

} // namespace liandan
