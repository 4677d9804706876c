// The core's matrix product, C [M, N] = op(A) [M, K] · op(B) [K, N] (+ C when accumulate), on
// row-major buffers with leading dimensions; op transposes when asked. Single-threaded: callers
// split work over rows of C. Each element of C is summed in the same order whatever M is, so a
// split over rows gives bit-identical results for any number of threads. Packing buffers are
// per thread and only grow, so steady training allocates nothing.
#pragma once

namespace liandan {

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
          bool accumulate);

// How a product is computed depends on its N and K (tiny products run as plain loops, narrow
// A · Bᵀ as dot products, the rest packed). A product split over threads by blocks of columns
// computes each block on the whole product's path, so the numbers do not depend on the split:
//   const GemmPath path = gemm_path(ta, tb, N, K);  ...  gemm(path, ta, tb, M, j1 - j0, K, ...)
enum class GemmPath { loops, vectors, dots, packed };
GemmPath gemm_path(bool trans_a, bool trans_b, int N, int K);
void gemm(GemmPath path, bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb,
          float *C, int ldc, bool accumulate);

// Columns per register tile of the packed path: splits of N at multiples of it keep tiles whole.
int gemm_tile_width();

// The vector path gemm uses in this build ("avx512 6x32", "avx2-fma 6x16", "wasm-simd128 4x8", "scalar 4x4").
const char *gemm_kernel_name();

// Products whose rows are windows into one buffer: row k of an operand is the buffer from
// offsets[k] on (offsets increasing). A stride-1 convolution is one (nn/conv2d.cpp): the image,
// padded and flattened, shifted by each kernel tap, is the column matrix, never written out.
// C [M, N] = A [M, K] · B̃ [K, N] with B̃[k][j] = B[offsets[k] + j]. N must be a multiple of
// gemm_shifted_width(); K is summed in order, from zero (no accumulate).
// A is packed first (M·K floats), once for every product it takes part in.
int gemm_shifted_width();
void gemm_shifted_pack(int M, int K, const float *A, int lda, float *packed);
void gemm_shifted(int M, int N, int K, const float *packed_a, const float *B, const int *offsets, float *C, int ldc);
// C [M, N] (+)= Ã [M, P] · B [P, N] with Ã[i][p] = A[offsets[i] + at[p]]: the same windows read at
// P places only (a frame's gaps skipped), as outer products. N must be a multiple of
// gemm_shifted_width(); B's rows are N floats apart.
void gemm_shifted_outer(int M, int N, int P, const float *A, const int *offsets, const int *at, const float *B, float *C, int ldc,
                        bool accumulate);
// C [M, N] (+)= Ã [M, K] · B [N, K]ᵀ with Ã[i][k] = A[offsets[i] + k]: the dot products of the
// narrow path (gemm_path's dots), whatever N and K are.
void gemm_dots_shifted(int M, int N, int K, const float *A, const int *offsets, const float *B, int ldb, float *C, int ldc,
                       bool accumulate);

} // namespace liandan
