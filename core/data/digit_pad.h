// A digit drawn on the drawing pad, prepared the way MNIST's digits were (LeCun et al.): the ink's
// bounding box scaled to fit 20 × 20 pixels keeping its aspect ratio (anti-aliased), then placed
// in a 28 × 28 image so that its centre of mass is the image's centre.
#pragma once
#include <vector>

namespace liandan {

// canvas: side × side ink values in 0..1, row-major (row 0 at the top). Returns 28 × 28 values in
// 0..1; all zero when the canvas holds no ink.
std::vector<float> mnist_style_digit(const std::vector<float> &canvas, int side);

} // namespace liandan
