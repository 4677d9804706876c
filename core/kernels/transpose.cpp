// Transposes in 4 × 4 blocks (transpose.h): four rows loaded as vectors, shuffled into four
// columns, stored as vectors. Scalar loops cost a strided load per float: conv2d's dY, 16 × 196
// floats a sample for W2's second layer, took about 2 µs that way.
#include "kernels/transpose.h"

#include "kernels/transpose_blocks.h"

namespace liandan {

void transpose(int rows, int cols, const float *src, size_t ld_src, float *dst, size_t ld_dst) {
#if LIANDAN_TRANSPOSE4X4
    const int rows4 = rows / 4 * 4, cols4 = cols / 4 * 4;
    for (int r = 0; r < rows4; r += 4)
        for (int c = 0; c < cols4; c += 4) transpose4x4(src + size_t(r) * ld_src + c, ld_src, dst + size_t(c) * ld_dst + r, ld_dst);
#else
    const int rows4 = 0, cols4 = 0;
#endif
    // The edges: rows past the last whole block, then the columns past it in the blocks' rows.
    for (int r = rows4; r < rows; ++r)
        for (int c = 0; c < cols; ++c) dst[size_t(c) * ld_dst + r] = src[size_t(r) * ld_src + c];
    for (int r = 0; r < rows4; ++r)
        for (int c = cols4; c < cols; ++c) dst[size_t(c) * ld_dst + r] = src[size_t(r) * ld_src + c];
}

} // namespace liandan
