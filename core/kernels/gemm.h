// The core's matrix product, C [M, N] = op(A) [M, K] · op(B) [K, N] (+ C when accumulate), on
// row-major buffers with leading dimensions; op transposes when asked. Single-threaded: callers
// split work over rows of C. Each element of C is summed in the same order whatever M is, so a
// split over rows gives bit-identical results for any number of threads. Packing buffers are
// per thread and only grow, so steady training allocates nothing.
#pragma once

namespace liandan {

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
          bool accumulate);

// The vector path gemm uses in this build ("avx2-fma 6x16", "wasm-simd128 4x8", "scalar 4x4").
const char *gemm_kernel_name();

} // namespace liandan
