// The blocked transpose against its definition: whole blocks, edge rows and columns, and rows
// further apart than the matrix is wide.
#include "helpers.h"
#include "kernels/transpose.h"

using namespace liandan;

TEST(transpose, matches_its_definition_for_blocks_and_edges) {
    for (auto [rows, cols] : {std::pair{1, 1}, {4, 4}, {16, 196}, {5, 7}, {8, 3}, {3, 9}, {13, 22}}) {
        SCOPED_TRACE(testing::Message() << rows << " x " << cols);
        const size_t ld_src = size_t(cols) + 3, ld_dst = size_t(rows) + 1;
        std::vector<float> src(size_t(rows) * ld_src), dst(size_t(cols) * ld_dst, -1.0f);
        for (size_t i = 0; i < src.size(); ++i) src[i] = float(i);
        transpose(rows, cols, src.data(), ld_src, dst.data(), ld_dst);
        for (int c = 0; c < cols; ++c) {
            for (int r = 0; r < rows; ++r) ASSERT_EQ(dst[size_t(c) * ld_dst + r], src[size_t(r) * ld_src + c]) << r << "," << c;
            EXPECT_EQ(dst[size_t(c) * ld_dst + rows], -1.0f) << "the padding of row " << c << " is left alone";
        }
    }
}
