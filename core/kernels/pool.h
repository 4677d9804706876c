// Max and average pooling of one sample over size × size windows with a stride, no padding.
// Shape letters: nn/shapes.h.
#pragma once
#include <cstddef>
#include <cstdint>

namespace liandan {

struct PoolGeometry {
    int c, h, w;  // input [C, H, W]
    int size, stride;
    int oh, ow;   // output [C, OH, OW]
};

// y [C, OH, OW] = max over each window of x [C, H, W]; argmax [C, OH, OW] gets the index into
// x of the first maximum in row-major window order (PyTorch's choice on ties).
void maxpool_forward(const PoolGeometry &g, const float *x, float *y, int32_t *argmax);
// dx [C, H, W] = 0, then dx[argmax] += dy
void maxpool_backward(const PoolGeometry &g, const int32_t *argmax, const float *dy, float *dx);
// y = mean over each window of x
void avgpool_forward(const PoolGeometry &g, const float *x, float *y);
// dx [C, H, W] = 0, then dx[window] += dy / size²
void avgpool_backward(const PoolGeometry &g, const float *dy, float *dx);

} // namespace liandan
