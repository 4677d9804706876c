// im2col and its adjoint col2im for 2-D convolution: the unfolding that turns a convolution into
// one matrix product. Shape letters: nn/shapes.h.
#pragma once
#include <cstddef>

namespace liandan {

struct ConvGeometry {
    int c, h, w;   // input [C, H, W]
    int k, stride, pad;
    int oh, ow;    // output positions P = OH·OW
};

// x [C, H, W] -> cols [C·K·K, P] with row stride ld (rows ordered c, ki, kj as W [O, C, K, K])
void im2col(const ConvGeometry &g, const float *x, float *cols, size_t ld);
// The adjoint: dx [C, H, W] = Σ of the columns' values over the positions they came from (the
// entries that stand for padding are left out).
void col2im(const ConvGeometry &g, const float *cols, size_t ld, float *dx);

} // namespace liandan
