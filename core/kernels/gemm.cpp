// GEMM in the BLIS style: K is cut into blocks of KC, B is packed into NR-wide column slivers and
// A into MR-tall row slivers, and a register-blocked micro-kernel computes MR × NR tiles.
// Micro-kernels: AVX2 + FMA 6 × 16 natively, SIMD128 6 × 8 in wasm (multiply and add: no FMA),
// plain C 4 × 4 elsewhere. Edge tiles go through a small buffer so the kernels stay branch-free.
#include "kernels/gemm.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define LIANDAN_GEMM_AVX2 1
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define LIANDAN_GEMM_SIMD128 1
#endif

namespace liandan {
namespace {

#if LIANDAN_GEMM_AVX2
constexpr int MR = 6, NR = 16;
#elif LIANDAN_GEMM_SIMD128
constexpr int MR = 6, NR = 8; // 12 accumulators + 2 B vectors + 1 broadcast fit x86's 16 xmm registers under V8
#else
constexpr int MR = 4, NR = 4;
#endif
constexpr int KC = 256; // K block: fixed, so summation order never depends on M or N
constexpr int MC = MR * 16;
constexpr size_t k_small_nk = 256; // N·K at or below which packing is skipped

// acc [MR, NR] = Σ_k a[k, 0..MR) ⊗ b[k, 0..NR) over packed slivers.
inline void micro_kernel(int kc, const float *a, const float *b, float *acc) {
#if LIANDAN_GEMM_AVX2
    __m256 c[MR][2];
    for (int r = 0; r < MR; ++r) c[r][0] = c[r][1] = _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int k = 0; k < kc; ++k) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        for (int r = 0; r < MR; ++r) {
            const __m256 ar = _mm256_broadcast_ss(a + r);
            c[r][0] = _mm256_fmadd_ps(ar, b0, c[r][0]);
            c[r][1] = _mm256_fmadd_ps(ar, b1, c[r][1]);
        }
        a += MR;
        b += NR;
    }
    for (int r = 0; r < MR; ++r) {
        _mm256_storeu_ps(acc + r * NR, c[r][0]);
        _mm256_storeu_ps(acc + r * NR + 8, c[r][1]);
    }
#elif LIANDAN_GEMM_SIMD128
    v128_t c[MR][2];
    for (int r = 0; r < MR; ++r) c[r][0] = c[r][1] = wasm_f32x4_splat(0.0f);
    for (int k = 0; k < kc; ++k) {
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        for (int r = 0; r < MR; ++r) {
            const v128_t ar = wasm_f32x4_splat(a[r]);
            c[r][0] = wasm_f32x4_add(c[r][0], wasm_f32x4_mul(ar, b0));
            c[r][1] = wasm_f32x4_add(c[r][1], wasm_f32x4_mul(ar, b1));
        }
        a += MR;
        b += NR;
    }
    for (int r = 0; r < MR; ++r) {
        wasm_v128_store(acc + r * NR, c[r][0]);
        wasm_v128_store(acc + r * NR + 4, c[r][1]);
    }
#else
    float c[MR][NR] = {};
    for (int k = 0; k < kc; ++k) {
        for (int r = 0; r < MR; ++r)
            for (int j = 0; j < NR; ++j) c[r][j] += a[r] * b[j];
        a += MR;
        b += NR;
    }
    std::memcpy(acc, c, sizeof c);
#endif
}

// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc) into MR-row slivers, k-major, zero-padded. Reads run
// along memory (k for a row-major A, rows for a transposed one).
void pack_a(bool trans, const float *A, int lda, int i0, int mc, int p0, int kc, float *dst) {
    for (int s = 0; s < mc; s += MR, dst += size_t(MR) * kc) {
        const int rows = std::min(MR, mc - s);
        if (rows < MR) std::fill_n(dst, size_t(MR) * kc, 0.0f);
        if (trans)
            for (int k = 0; k < kc; ++k) {
                const float *src = A + size_t(p0 + k) * lda + i0 + s;
                for (int r = 0; r < rows; ++r) dst[size_t(k) * MR + r] = src[r];
            }
        else
            for (int r = 0; r < rows; ++r) {
                const float *src = A + size_t(i0 + s + r) * lda + p0;
                for (int k = 0; k < kc; ++k) dst[size_t(k) * MR + r] = src[k];
            }
    }
}

// Packs op(B)[p0 .. p0+kc, 0 .. N) into NR-column slivers, k-major, zero-padded, reading along memory.
void pack_b(bool trans, const float *B, int ldb, int N, int p0, int kc, float *dst) {
    for (int j0 = 0; j0 < N; j0 += NR, dst += size_t(NR) * kc) {
        const int cols = std::min(NR, N - j0);
        if (cols < NR) std::fill_n(dst, size_t(NR) * kc, 0.0f);
        if (trans)
            for (int c = 0; c < cols; ++c) {
                const float *src = B + size_t(j0 + c) * ldb + p0;
                for (int k = 0; k < kc; ++k) dst[size_t(k) * NR + c] = src[k];
            }
        else
            for (int k = 0; k < kc; ++k) {
                const float *src = B + size_t(p0 + k) * ldb + j0;
                for (int c = 0; c < cols; ++c) dst[size_t(k) * NR + c] = src[c];
            }
    }
}

template <bool TA, bool TB>
void small_gemm(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float sum = 0.0f;
            for (int k = 0; k < K; ++k) sum += (TA ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k]) * (TB ? B[size_t(j) * ldb + k] : B[size_t(k) * ldb + j]);
            float &c = C[size_t(i) * ldc + j];
            c = accumulate ? c + sum : sum;
        }
}

struct Buffers {
    std::vector<float, std::allocator<float>> a, b;
    float *aligned_b(size_t n) { // 32-byte aligned view for the kernels' aligned loads
        if (b.size() < n + 8) b.resize(n + 8);
        auto p = reinterpret_cast<uintptr_t>(b.data());
        return reinterpret_cast<float *>((p + 31) & ~uintptr_t(31));
    }
};

} // namespace

const char *gemm_kernel_name() {
#if LIANDAN_GEMM_AVX2
    return "avx2-fma 6x16";
#elif LIANDAN_GEMM_SIMD128
    return "wasm-simd128 6x8";
#else
    return "scalar 4x4";
#endif
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
          bool accumulate) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!accumulate)
            for (int i = 0; i < M; ++i) std::fill_n(C + size_t(i) * ldc, N, 0.0f);
        return;
    }
    // Tiny products (a playground's 2-8-8-1 network) cost more to pack than to compute: plain
    // loops. The choice depends on N and K only, never on M, so row splits still agree bitwise.
    if (size_t(N) * K <= k_small_nk) {
        if (trans_a) {
            if (trans_b) small_gemm<true, true>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
            else small_gemm<true, false>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        } else {
            if (trans_b) small_gemm<false, true>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
            else small_gemm<false, false>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        }
        return;
    }
    thread_local Buffers buf;
    const int n_slivers = (N + NR - 1) / NR;
    float *packed_b = buf.aligned_b(size_t(n_slivers) * NR * KC);
    if (buf.a.size() < size_t(MC) * KC) buf.a.resize(size_t(MC) * KC);
    alignas(32) float acc[MR * NR];

    for (int p0 = 0; p0 < K; p0 += KC) {
        const int kc = std::min(KC, K - p0);
        const bool add = accumulate || p0 > 0; // later K blocks add to what earlier ones wrote
        pack_b(trans_b, B, ldb, N, p0, kc, packed_b);
        for (int i0 = 0; i0 < M; i0 += MC) {
            const int mc = std::min(MC, M - i0);
            pack_a(trans_a, A, lda, i0, mc, p0, kc, buf.a.data());
            for (int js = 0; js < n_slivers; ++js) {
                const int j0 = js * NR, cols = std::min(NR, N - j0);
                const float *bs = packed_b + size_t(js) * NR * kc;
                for (int is = 0; is < mc; is += MR) {
                    const int rows = std::min(MR, mc - is);
                    micro_kernel(kc, buf.a.data() + size_t(is) * kc, bs, acc);
                    float *c = C + size_t(i0 + is) * ldc + j0;
                    for (int r = 0; r < rows; ++r) {
                        float *row = c + size_t(r) * ldc;
                        const float *src = acc + r * NR;
                        if (add)
                            for (int j = 0; j < cols; ++j) row[j] += src[j];
                        else
                            std::memcpy(row, src, sizeof(float) * cols);
                    }
                }
            }
        }
    }
}

} // namespace liandan
