// A matrix transposed, in 4 × 4 blocks of vectors where the build has them.
#pragma once
#include <cstddef>

namespace liandan {

// dst [cols, rows] = src [rows, cols]ᵀ; rows ld_src and ld_dst floats apart.
void transpose(int rows, int cols, const float *src, size_t ld_src, float *dst, size_t ld_dst);

} // namespace liandan
