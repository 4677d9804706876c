// GEMM in the BLIS style: K is cut into blocks of KC, B is packed into NR-wide column slivers and
// A into MR-tall row slivers, and a register-blocked micro-kernel computes MR × NR tiles.
// Micro-kernels: AVX-512 6 × 32 or AVX2 + FMA 6 × 16 natively, SIMD128 4 × 8 in wasm (multiply and
// add: no FMA), plain C 4 × 4 elsewhere. Narrow edge tiles go through a small buffer so the kernels
// stay branch-free.
#include "kernels/gemm.h"
#include "kernels/transpose_blocks.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define LIANDAN_GEMM_AVX2 1 // AVX2's shuffles pack the operands in both x86 builds
#if defined(__AVX512F__)
// 512-bit vectors: where the units are 512 bits wide (AMD Zen 5, Intel server cores) twice AVX2's
// multiply-adds a cycle; on Zen 4, which splits them in two, as many with half the instructions.
#define LIANDAN_GEMM_AVX512 1
#endif
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define LIANDAN_GEMM_SIMD128 1
#endif

namespace liandan {
namespace {

#if LIANDAN_GEMM_AVX512
constexpr int MR = 6, NR = 32;
#elif LIANDAN_GEMM_AVX2
constexpr int MR = 6, NR = 16;
#elif LIANDAN_GEMM_SIMD128
// 8 accumulators + 2 B vectors + the broadcast + the product: V8 keeps them all in xmm registers.
// 6 × 8 needs 16 of the 15 V8 allocates (xmm15 is its scratch) and spills every iteration:
// measured 26 GFLOP/s against 47 for 4 × 8 (512³, node 20, one thread), the same sums bitwise.
constexpr int MR = 4, NR = 8;
#else
constexpr int MR = 4, NR = 4;
#endif
constexpr int KC = 256; // K block: fixed, so summation order never depends on M or N
constexpr int MC = MR * 16;
constexpr size_t k_small_nk = 256; // N·K at or below which packing is skipped
constexpr int k_dot_max_n = 32, k_dot_min_k = 256; // A · Bᵀ products that skip packing (dot_gemm)

#if LIANDAN_GEMM_AVX2
// The sum of eight lanes in one fixed order (halves, then pairs, then the last two): AVX2's v_sum,
// and AVX-512's after adding its halves.
inline float sum8_lanes(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    return _mm_cvtss_f32(_mm_add_ss(x, _mm_shuffle_ps(x, x, 1)));
}
#endif

// One vector of VL floats, for the kernels written once for every build.
#if LIANDAN_GEMM_AVX512
using vecf = __m512;
constexpr int VL = 16;
inline vecf v_zero() { return _mm512_setzero_ps(); }
inline vecf v_load(const float *p) { return _mm512_loadu_ps(p); }
inline vecf v_fma(vecf a, vecf b, vecf c) { return _mm512_fmadd_ps(a, b, c); }
inline vecf v_add(vecf a, vecf b) { return _mm512_add_ps(a, b); }
inline float v_sum(vecf v) { // the halves added, then AVX2's order: fixed, as every lane sum must be
    // Through memory: GCC 12's casts and extracts from 512 bits warn of an undefined operand.
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, v);
    return sum8_lanes(_mm256_add_ps(_mm256_load_ps(lanes), _mm256_load_ps(lanes + 8)));
}
#elif LIANDAN_GEMM_AVX2
using vecf = __m256;
constexpr int VL = 8;
inline vecf v_zero() { return _mm256_setzero_ps(); }
inline vecf v_load(const float *p) { return _mm256_loadu_ps(p); }
inline vecf v_fma(vecf a, vecf b, vecf c) { return _mm256_fmadd_ps(a, b, c); }
inline vecf v_add(vecf a, vecf b) { return _mm256_add_ps(a, b); }
inline float v_sum(vecf v) { return sum8_lanes(v); }
#elif LIANDAN_GEMM_SIMD128
using vecf = v128_t;
constexpr int VL = 4;
inline vecf v_zero() { return wasm_f32x4_splat(0.0f); }
inline vecf v_load(const float *p) { return wasm_v128_load(p); }
inline vecf v_fma(vecf a, vecf b, vecf c) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }
inline vecf v_add(vecf a, vecf b) { return wasm_f32x4_add(a, b); }
inline float v_sum(vecf v) {
    return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 2)) + (wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 3));
}
#else
using vecf = float;
constexpr int VL = 1;
inline vecf v_zero() { return 0.0f; }
inline vecf v_load(const float *p) { return *p; }
inline vecf v_fma(vecf a, vecf b, vecf c) { return c + a * b; }
inline vecf v_add(vecf a, vecf b) { return a + b; }
inline float v_sum(vecf v) { return v; }
#endif
inline vecf v_splat(const float *p) {
#if LIANDAN_GEMM_AVX512
    return _mm512_set1_ps(*p);
#elif LIANDAN_GEMM_AVX2
    return _mm256_broadcast_ss(p);
#elif LIANDAN_GEMM_SIMD128
    return wasm_f32x4_splat(*p);
#else
    return *p;
#endif
}
inline void v_store(float *p, vecf v) {
#if LIANDAN_GEMM_AVX512
    _mm512_storeu_ps(p, v);
#elif LIANDAN_GEMM_AVX2
    _mm256_storeu_ps(p, v);
#elif LIANDAN_GEMM_SIMD128
    wasm_v128_store(p, v);
#else
    *p = v;
#endif
}

// Up to six rows' accumulators as named variables, not an array: GCC 12 at -O3 keeps an array of
// vectors in registers but also stores it to the stack on every k (ten stores per twelve FMAs).
struct RowAcc {
    vecf lo = v_zero(), hi = v_zero();
    void add(const float *a, vecf b0, vecf b1) {
        const vecf s = v_splat(a);
        lo = v_fma(s, b0, lo);
        hi = v_fma(s, b1, hi);
    }
    void store(float *c, bool add) {
        if (add) lo = v_add(v_load(c), lo), hi = v_add(v_load(c + VL), hi);
        v_store(c, lo);
        v_store(c + VL, hi);
    }
};

// C [R, 2·VL] (+)= Σ_k *a(k, r) · b(k)[0 .. 2·VL) for rows r < R: the micro-kernel of the packed
// and shifted products, which differ in where A's values and B's rows are (a(k, r) and b(k):
// pointers to them).
template <int R, class AValue, class BRow>
inline void row_tile(int K, AValue a, BRow b, float *C, int ldc, bool add) {
    static_assert(R >= 1 && R <= 6);
    RowAcc c0, c1, c2, c3, c4, c5;
    // Unrolled natively; in wasm clang's unrolled loop makes V8 spill (the 512³ product at 32
    // GFLOP/s against 42).
#if LIANDAN_GEMM_AVX2
#pragma GCC unroll 4
#endif
    for (int k = 0; k < K; ++k) {
        const float *bk = b(k);
        const vecf b0 = v_load(bk), b1 = v_load(bk + VL);
        c0.add(a(k, 0), b0, b1);
        if constexpr (R > 1) c1.add(a(k, 1), b0, b1);
        if constexpr (R > 2) c2.add(a(k, 2), b0, b1);
        if constexpr (R > 3) c3.add(a(k, 3), b0, b1);
        if constexpr (R > 4) c4.add(a(k, 4), b0, b1);
        if constexpr (R > 5) c5.add(a(k, 5), b0, b1);
    }
    c0.store(C, add);
    if constexpr (R > 1) c1.store(C + size_t(ldc), add);
    if constexpr (R > 2) c2.store(C + 2 * size_t(ldc), add);
    if constexpr (R > 3) c3.store(C + 3 * size_t(ldc), add);
    if constexpr (R > 4) c4.store(C + 4 * size_t(ldc), add);
    if constexpr (R > 5) c5.store(C + 5 * size_t(ldc), add);
}

// c [MR, NR] (+)= Σ_k a[k, 0..MR) ⊗ b[k, 0..NR) over packed slivers; c has row stride ldc.
// Only the first R rows are computed (R < MR for a bottom edge tile, whose padding rows would be
// wasted work); each element's sum is the same whatever R is. Tiles as wide as NR write straight
// into C; narrower ones go through a small buffer.
template <int R>
inline void micro_kernel(int kc, const float *a, const float *b, float *acc, int ldc, bool add) {
#if LIANDAN_GEMM_AVX2 || LIANDAN_GEMM_SIMD128
    static_assert(NR == 2 * VL);
    row_tile<R>(kc, [&](int k, int r) { return a + size_t(k) * MR + r; }, [&](int k) { return b + size_t(k) * NR; }, acc, ldc, add);
#else
    float c[R][NR] = {};
    for (int k = 0; k < kc; ++k) {
        for (int r = 0; r < R; ++r)
            for (int j = 0; j < NR; ++j) c[r][j] += a[r] * b[j];
        a += MR;
        b += NR;
    }
    for (int r = 0; r < R; ++r)
        for (int j = 0; j < NR; ++j) acc[size_t(r) * ldc + j] = add ? acc[size_t(r) * ldc + j] + c[r][j] : c[r][j];
#endif
}

// f(std::integral_constant<int, R>()) with R = rows (1 ≤ rows ≤ MR): a tile's height as a constant,
// for every kernel that takes it as a template argument.
template <class F> inline void with_rows(int rows, F &&f) {
    static_assert(MR == 4 || MR == 6);
    switch (rows) {
    case 1: return f(std::integral_constant<int, 1>());
    case 2: return f(std::integral_constant<int, 2>());
    case 3: return f(std::integral_constant<int, 3>());
    case MR: return f(std::integral_constant<int, MR>());
    }
    if constexpr (MR == 6) {
        if (rows == 4) return f(std::integral_constant<int, 4>());
        return f(std::integral_constant<int, 5>());
    }
}

// micro_kernel for the first rows rows (1 ≤ rows ≤ MR)
inline void micro_kernel_rows(int rows, int kc, const float *a, const float *b, float *c, int ldc, bool add) {
    with_rows(rows, [&](auto R) { micro_kernel<decltype(R)::value>(kc, a, b, c, ldc, add); });
}

#if LIANDAN_GEMM_AVX2
// dst[k · MR + r] = src[r · lds + k] for the MR = 6 rows of a sliver and 8 values of k: an 8 × 8
// transpose (two rows of zeros) with six lanes stored per k, instead of 48 single stores (conv2's
// weight gradient packs 39,200 such values a sample).
inline void transpose6x8(const float *src, size_t lds, float *dst) {
    static_assert(MR == 6, "six rows per sliver");
    const __m256 zero = _mm256_setzero_ps();
    const __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + lds), r2 = _mm256_loadu_ps(src + 2 * lds),
                 r3 = _mm256_loadu_ps(src + 3 * lds), r4 = _mm256_loadu_ps(src + 4 * lds), r5 = _mm256_loadu_ps(src + 5 * lds);
    const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
                 t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)),
                 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2)),
                 s4 = _mm256_shuffle_ps(t4, zero, _MM_SHUFFLE(1, 0, 1, 0)), s5 = _mm256_shuffle_ps(t4, zero, _MM_SHUFFLE(3, 2, 3, 2)),
                 s6 = _mm256_shuffle_ps(t5, zero, _MM_SHUFFLE(1, 0, 1, 0)), s7 = _mm256_shuffle_ps(t5, zero, _MM_SHUFFLE(3, 2, 3, 2));
    const __m256i six = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
    const __m256 cols[8] = {_mm256_permute2f128_ps(s0, s4, 0x20), _mm256_permute2f128_ps(s1, s5, 0x20),
                            _mm256_permute2f128_ps(s2, s6, 0x20), _mm256_permute2f128_ps(s3, s7, 0x20),
                            _mm256_permute2f128_ps(s0, s4, 0x31), _mm256_permute2f128_ps(s1, s5, 0x31),
                            _mm256_permute2f128_ps(s2, s6, 0x31), _mm256_permute2f128_ps(s3, s7, 0x31)};
    for (int k = 0; k < 8; ++k) _mm256_maskstore_ps(dst + k * MR, six, cols[k]);
}
#endif

// pack_b's vector paths: a sliver of NR columns, moved as TB × TB transposed blocks (a transposed
// B) or TB-wide vector copies (the aligned packed buffer from B's rows), NR / TB of them per k.
#if LIANDAN_GEMM_AVX2
constexpr int TB = 8;
inline void transpose_block(const float *src, size_t lds, float *dst, size_t ldd) { transpose8x8(src, lds, dst, ldd); }
inline void copy_vector(float *dst, const float *src) { _mm256_store_ps(dst, _mm256_loadu_ps(src)); }
#elif LIANDAN_GEMM_SIMD128
constexpr int TB = 4;
inline void transpose_block(const float *src, size_t lds, float *dst, size_t ldd) { transpose4x4(src, lds, dst, ldd); }
inline void copy_vector(float *dst, const float *src) { wasm_v128_store(dst, wasm_v128_load(src)); }
#endif
#if LIANDAN_GEMM_AVX2 || LIANDAN_GEMM_SIMD128
static_assert(NR % TB == 0, "a packed sliver is whole transposed blocks wide");
#endif

// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc) into MR-row slivers, k-major, zero-padded. Reads run
// along memory (k for a row-major A, rows for a transposed one).
void pack_a(bool trans, const float *A, int lda, int i0, int mc, int p0, int kc, float *dst) {
    for (int s = 0; s < mc; s += MR, dst += size_t(MR) * kc) {
        const int rows = std::min(MR, mc - s);
        if (rows < MR) std::fill_n(dst, size_t(MR) * kc, 0.0f);
#if LIANDAN_GEMM_AVX2
        if (!trans && rows == MR) { // six rows along k: 6 × 8 transposes
            const float *src = A + size_t(i0 + s) * lda + p0;
            int k = 0;
            for (; k + 8 <= kc; k += 8) transpose6x8(src + k, lda, dst + size_t(k) * MR);
            for (; k < kc; ++k)
                for (int r = 0; r < MR; ++r) dst[size_t(k) * MR + r] = src[size_t(r) * lda + k];
            continue;
        }
#endif
#if LIANDAN_GEMM_SIMD128
        if (!trans && rows == MR) { // four rows along k: 4 × 4 transposes instead of scalar strided stores
            const float *src = A + size_t(i0 + s) * lda + p0;
            int k = 0;
            for (; k + 4 <= kc; k += 4) transpose4x4(src + k, lda, dst + size_t(k) * MR, MR);
            for (; k < kc; ++k)
                for (int r = 0; r < MR; ++r) dst[size_t(k) * MR + r] = src[size_t(r) * lda + k];
            continue;
        }
        if (trans && rows == MR) { // columns of A run along the sliver: one vector copy per k
            for (int k = 0; k < kc; ++k) wasm_v128_store(dst + size_t(k) * MR, wasm_v128_load(A + size_t(p0 + k) * lda + i0 + s));
            continue;
        }
#endif
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
#if LIANDAN_GEMM_AVX2 || LIANDAN_GEMM_SIMD128
        if (trans && cols == NR) { // NR rows of B along k, as NR / TB transposes of TB × TB per TB k
            const float *src = B + size_t(j0) * ldb + p0;
            int k = 0;
            for (; k + TB <= kc; k += TB)
                for (int c = 0; c < NR; c += TB) transpose_block(src + size_t(c) * ldb + k, ldb, dst + size_t(k) * NR + c, NR);
            for (; k < kc; ++k)
                for (int c = 0; c < NR; ++c) dst[size_t(k) * NR + c] = src[size_t(c) * ldb + k];
            continue;
        }
        if (!trans && cols == NR) { // rows of B run along the sliver: NR / TB vector copies per k
            for (int k = 0; k < kc; ++k) {
                const float *src = B + size_t(p0 + k) * ldb + j0;
                for (int c = 0; c < NR; c += TB) copy_vector(dst + size_t(k) * NR + c, src + c);
            }
            continue;
        }
#endif
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

// a·b + c, fused where the build has fused multiply-adds: written out, so every small path's sums
// round alike, rather than as the compiler happens to contract each loop (GCC fuses natively, in
// some loops and not others); wasm has no fused form, and clang does not contract there.
inline float madd(float a, float b, float c) {
#if defined(__FMA__)
    return std::fma(a, b, c);
#else
    return a * b + c;
#endif
}

// Small products with a common N known at compile time: the row's N sums stay in registers and
// the loops unroll (a playground network's products are 10 × 8 × 2 and the like, where loop
// overhead was three quarters of a step). The same sums as below, each from zero over k in order.
// B transposed is copied k-major first (N·K ≤ k_small_nk floats), so its rows load as vectors.
template <bool TA, bool TB, int NF>
void small_gemm_fixed(int M, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    alignas(32) float b_copy[TB ? k_small_nk : 1];
    if constexpr (TB)
        for (int k = 0; k < K; ++k)
            for (int j = 0; j < NF; ++j) b_copy[k * NF + j] = B[size_t(j) * ldb + k];
    const float *b = TB ? b_copy : B;
    const size_t ldk = TB ? size_t(NF) : size_t(ldb);
    auto a_at = [&](int i, int k) { return TA ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k]; };
    auto store = [&](int i, const float *sum) {
        float *c = C + size_t(i) * ldc;
        for (int j = 0; j < NF; ++j) c[j] = accumulate ? c[j] + sum[j] : sum[j];
    };
    int i = 0;
    for (; i + 2 <= M; i += 2) { // two rows at once: each row of B loaded once for both
        float sum0[NF] = {}, sum1[NF] = {};
        for (int k = 0; k < K; ++k) {
            const float a0 = a_at(i, k), a1 = a_at(i + 1, k), *__restrict bk = b + k * ldk;
            for (int j = 0; j < NF; ++j) {
                sum0[j] = madd(a0, bk[j], sum0[j]);
                sum1[j] = madd(a1, bk[j], sum1[j]);
            }
        }
        store(i, sum0);
        store(i + 1, sum1);
    }
    if (i < M) { // the last odd row
        float sum[NF] = {};
        for (int k = 0; k < K; ++k) {
            const float a = a_at(i, k), *__restrict bk = b + k * ldk;
            for (int j = 0; j < NF; ++j) sum[j] = madd(a, bk[j], sum[j]);
        }
        store(i, sum);
    }
}

// Small products (N·K ≤ k_small_nk). Rows of eight or more outputs over four or more terms run as
// vectors of N sums (B read k-major, copied that way first when transposed), the rest as dot
// products over k. The choice depends on N and K only; every element is the plain sum over k in
// order, whatever M is.
template <bool TA, bool TB>
[[gnu::noinline]] void small_gemm(bool vectors, int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    switch (N) {
    case 1: return small_gemm_fixed<TA, TB, 1>(M, K, A, lda, B, ldb, C, ldc, accumulate);
    case 2: return small_gemm_fixed<TA, TB, 2>(M, K, A, lda, B, ldb, C, ldc, accumulate);
    case 4: return small_gemm_fixed<TA, TB, 4>(M, K, A, lda, B, ldb, C, ldc, accumulate);
    case 8: return small_gemm_fixed<TA, TB, 8>(M, K, A, lda, B, ldb, C, ldc, accumulate);
    default: break;
    }
    auto a_at = [&](int i, int k) { return TA ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k]; };
    if (!vectors) {
        for (int i = 0; i < M; ++i)
            for (int j = 0; j < N; ++j) {
                float sum = 0.0f;
                for (int k = 0; k < K; ++k) sum = madd(a_at(i, k), TB ? B[size_t(j) * ldb + k] : B[size_t(k) * ldb + j], sum);
                float &c = C[size_t(i) * ldc + j];
                c = accumulate ? c + sum : sum;
            }
        return;
    }
    alignas(32) float b_copy[TB ? k_small_nk : 1], sum[k_small_nk];
    if constexpr (TB)
        for (int k = 0; k < K; ++k)
            for (int j = 0; j < N; ++j) b_copy[k * N + j] = B[size_t(j) * ldb + k];
    const float *b = TB ? b_copy : B;
    const size_t ldk = TB ? size_t(N) : size_t(ldb);
    for (int i = 0; i < M; ++i) {
        float *c = C + size_t(i) * ldc, *out = accumulate ? sum : c;
        std::fill_n(out, N, 0.0f);
        for (int k = 0; k < K; ++k) {
            const float a = a_at(i, k), *__restrict bk = b + k * ldk;
            for (int j = 0; j < N; ++j) out[j] = madd(a, bk[j], out[j]);
        }
        if (accumulate)
            for (int j = 0; j < N; ++j) c[j] += sum[j];
    }
}

// The NT path: C = A · Bᵀ with both operands' rows running along K (a layer's X · Wᵀ, a
// weight gradient dY · colsᵀ) and a narrow result, where packing would cost as much as the
// product. Each element is a dot product of two contiguous rows, accumulated in vector lanes
// (k ≡ lane mod VL), the last partial vector zero-padded, then summed across lanes in a fixed
// order: the same arithmetic for every element whatever tile it falls in, so splits agree bitwise.
// Tiles of 8 accumulators. Natively 1 × 8: each A row meets 8 B rows, which stay in L1 while A
// streams (conv1's weight gradient: 5.7 µs against 11.2 for 2 × 4). In wasm 2 × 4: V8 spills with
// 1 × 8 (17 µs against 6.2). The tile does not change any element's arithmetic.
#if LIANDAN_GEMM_AVX2
constexpr int DOT_MR = 1, DOT_NR = 8;
#else
constexpr int DOT_MR = 2, DOT_NR = 4;
#endif

// C [RM, RN] (+)= A [RM, K] · B [RN, K]ᵀ
template <int RM, int RN>
void dot_tile(int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    vecf acc[RM][RN];
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) acc[r][c] = v_zero();
    const int kv = K / VL * VL;
    for (int k = 0; k < kv; k += VL) {
        vecf a[RM];
        for (int r = 0; r < RM; ++r) a[r] = v_load(A + size_t(r) * lda + k);
        for (int c = 0; c < RN; ++c) {
            const vecf b = v_load(B + size_t(c) * ldb + k);
            for (int r = 0; r < RM; ++r) acc[r][c] = v_fma(a[r], b, acc[r][c]);
        }
    }
    if (kv < K) { // the last K % VL terms, zero-padded to a full vector
        alignas(64) float ta[RM][VL] = {}, tb[RN][VL] = {};
        for (int k = kv; k < K; ++k) {
            for (int r = 0; r < RM; ++r) ta[r][k - kv] = A[size_t(r) * lda + k];
            for (int c = 0; c < RN; ++c) tb[c][k - kv] = B[size_t(c) * ldb + k];
        }
        for (int c = 0; c < RN; ++c)
            for (int r = 0; r < RM; ++r) acc[r][c] = v_fma(v_load(ta[r]), v_load(tb[c]), acc[r][c]);
    }
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) {
            const float sum = v_sum(acc[r][c]);
            float &out = C[size_t(r) * ldc + c];
            out = accumulate ? out + sum : sum;
        }
}

template <int RM>
void dot_row_block(int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    int j = 0;
    for (; j + DOT_NR <= N; j += DOT_NR) dot_tile<RM, DOT_NR>(K, A, lda, B + size_t(j) * ldb, ldb, C + j, ldc, accumulate);
    // The rest in fours, then ones: 12 filters (the digits' first layer) took a fifth of their
    // weight gradient's time in 1 × 1 tiles, each loading A's row again for one B row.
    if constexpr (DOT_NR > 4)
        for (; j + 4 <= N; j += 4) dot_tile<RM, 4>(K, A, lda, B + size_t(j) * ldb, ldb, C + j, ldc, accumulate);
    for (; j < N; ++j) dot_tile<RM, 1>(K, A, lda, B + size_t(j) * ldb, ldb, C + j, ldc, accumulate);
}

[[gnu::noinline]] void dot_gemm(int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc, bool accumulate) {
    int i = 0;
    for (; i + DOT_MR <= M; i += DOT_MR)
        dot_row_block<DOT_MR>(N, K, A + size_t(i) * lda, lda, B, ldb, C + size_t(i) * ldc, ldc, accumulate);
    for (; i < M; ++i) dot_row_block<1>(N, K, A + size_t(i) * lda, lda, B, ldb, C + size_t(i) * ldc, ldc, accumulate);
}

// The shifted product (gemm_shifted): C [R, SH_NR] = A [R, K] · B̃ [K, SH_NR] at column j0, with
// A packed k-major ([k][R]) and B̃ row k read straight from B + offsets[k]: the micro-kernel's
// arithmetic on unpacked, unaligned rows, which a stride-1 convolution's shifted images are.
constexpr int SH_NR = 2 * VL;
template <int R>
void shifted_tile(int K, const float *a, const float *B, const int *offsets, float *C, int ldc) {
    row_tile<R>(K, [&](int k, int r) { return a + size_t(k) * R + r; }, [&](int k) { return B + offsets[k]; }, C, ldc, false);
}

struct Buffers {
    std::vector<float, std::allocator<float>> a, b;
    float *aligned_b(size_t n) { // cache-line aligned view, for pack_b's aligned stores and whole-line loads
        if (b.size() < n + 16) b.resize(n + 16);
        auto p = reinterpret_cast<uintptr_t>(b.data());
        return reinterpret_cast<float *>((p + 63) & ~uintptr_t(63));
    }
};

// The packed path: B packed a K block at a time, A an M block at a time, micro-kernels over the
// slivers. Each path is a function of its own (noinline here, and Binaryen's limit in
// cmake/warnings.cmake): merged into one dispatcher, wasm's micro-kernel loop lost its registers.
[[gnu::noinline]] void packed_gemm(bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                                   float *C, int ldc, bool accumulate) {
    thread_local Buffers buf;
    const int n_slivers = (N + NR - 1) / NR;
    float *packed_b = buf.aligned_b(size_t(n_slivers) * NR * KC);
    if (buf.a.size() < size_t(MC) * KC) buf.a.resize(size_t(MC) * KC);
    alignas(64) float acc[MR * NR];

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
                    float *c = C + size_t(i0 + is) * ldc + j0;
                    if (cols == NR) {
                        micro_kernel_rows(rows, kc, buf.a.data() + size_t(is) * kc, bs, c, ldc, add);
                        continue;
                    }
                    micro_kernel_rows(rows, kc, buf.a.data() + size_t(is) * kc, bs, acc, NR, false);
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

// The shifted weight gradient's tile: C [R, 2·VL] (+)= Σ_p window_r[at[p]] · B[p, 0 .. 2·VL), with
// window_r = A + offsets[r]: broadcasts from R windows against B's rows, as the micro-kernel.
template <int R>
void outer_tile(int P, const float *A, const int *offsets, const int *at, const float *B, int ldb, float *C, int ldc, bool add) {
    const float *windows[R];
    for (int r = 0; r < R; ++r) windows[r] = A + offsets[r];
    row_tile<R>(P, [&](int p, int r) { return windows[r] + at[p]; }, [&](int p) { return B + size_t(p) * ldb; }, C, ldc, add);
}

// f(i0, rows) for the slivers of M rows that the shifted products' tiles take: nearly equal
// heights (16 rows: 5, 5, 6; 8 rows: 4, 4), so no sliver is a thin edge.
template <class F> void for_slivers(int M, F &&f) {
    const int slivers = (M + MR - 1) / MR;
    for (int s = 0, i0 = 0; s < slivers; ++s) {
        const int rows = (M - i0) / (slivers - s);
        f(i0, rows);
        i0 += rows;
    }
}

[[gnu::noinline]] void shifted_gemm(int M, int N, int K, const float *packed_a, const float *B, const int *offsets, float *C,
                                    int ldc) {
    for_slivers(M, [&](int i0, int rows) {
        const float *a = packed_a + size_t(i0) * K;
        with_rows(rows, [&](auto R) {
            for (int j0 = 0; j0 < N; j0 += SH_NR) shifted_tile<decltype(R)::value>(K, a, B + j0, offsets, C + size_t(i0) * ldc + j0, ldc);
        });
    });
}

[[gnu::noinline]] void shifted_outer(int M, int N, int P, const float *A, const int *offsets, const int *at, const float *B, float *C,
                                     int ldc, bool accumulate) {
    for_slivers(M, [&](int i0, int rows) {
        with_rows(rows, [&](auto R) {
            for (int j0 = 0; j0 < N; j0 += SH_NR)
                outer_tile<decltype(R)::value>(P, A, offsets + i0, at, B + j0, N, C + size_t(i0) * ldc + j0, ldc, accumulate);
        });
    });
}

[[gnu::noinline]] void shifted_dots(int M, int N, int K, const float *A, const int *offsets, const float *B, int ldb, float *C,
                                    int ldc, bool accumulate) {
    static_assert(DOT_MR <= 2);
    int i = 0;
    // Rows i and i + 1 of Ã are offsets[i + 1] - offsets[i] apart: a row stride for dot_tile.
    for (; i + DOT_MR <= M; i += DOT_MR) {
        const int lda = DOT_MR > 1 ? offsets[i + 1] - offsets[i] : 0;
        dot_row_block<DOT_MR>(N, K, A + offsets[i], lda, B, ldb, C + size_t(i) * ldc, ldc, accumulate);
    }
    for (; i < M; ++i) dot_row_block<1>(N, K, A + offsets[i], 0, B, ldb, C + size_t(i) * ldc, ldc, accumulate);
}

} // namespace

const char *gemm_kernel_name() {
#if LIANDAN_GEMM_AVX512
    return "avx512 6x32";
#elif LIANDAN_GEMM_AVX2
    return "avx2-fma 6x16";
#elif LIANDAN_GEMM_SIMD128
    return "wasm-simd128 4x8";
#else
    return "scalar 4x4";
#endif
}

int gemm_tile_width() { return NR; }

GemmPath gemm_path(bool trans_a, bool trans_b, int N, int K) {
    (void)trans_a;
    // Tiny products (a playground's 2-8-8-1 network) cost more to pack than to compute.
    if (size_t(N) * K <= k_small_nk) return N < 8 || K < 4 ? GemmPath::loops : GemmPath::vectors;
    // A · Bᵀ with a narrow result: dot products, no packing.
    if (!trans_a && trans_b && N <= k_dot_max_n && K >= k_dot_min_k) return GemmPath::dots;
    return GemmPath::packed;
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
          bool accumulate) {
    gemm(gemm_path(trans_a, trans_b, N, K), trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

void gemm(GemmPath path, bool trans_a, bool trans_b, int M, int N, int K, const float *A, int lda, const float *B, int ldb,
          float *C, int ldc, bool accumulate) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!accumulate)
            for (int i = 0; i < M; ++i) std::fill_n(C + size_t(i) * ldc, N, 0.0f);
        return;
    }
    if (path == GemmPath::loops || path == GemmPath::vectors) {
        const bool vectors = path == GemmPath::vectors;
        if (trans_a) {
            if (trans_b) small_gemm<true, true>(vectors, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
            else small_gemm<true, false>(vectors, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        } else {
            if (trans_b) small_gemm<false, true>(vectors, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
            else small_gemm<false, false>(vectors, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        }
        return;
    }
    if (path == GemmPath::dots) {
        dot_gemm(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        return;
    }
    packed_gemm(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

int gemm_shifted_width() { return SH_NR; }

void gemm_shifted_pack(int M, int K, const float *A, int lda, float *packed) {
    for_slivers(M, [&](int i0, int rows) {
        float *a = packed + size_t(i0) * K;
        for (int k = 0; k < K; ++k)
            for (int r = 0; r < rows; ++r) a[size_t(k) * rows + r] = A[size_t(i0 + r) * lda + k];
    });
}

void gemm_shifted(int M, int N, int K, const float *packed_a, const float *B, const int *offsets, float *C, int ldc) {
    assert(N % SH_NR == 0); // whole tiles: a partial one would read and write past the rows
    if (M > 0 && N > 0 && K > 0) shifted_gemm(M, N, K, packed_a, B, offsets, C, ldc);
}

void gemm_shifted_outer(int M, int N, int P, const float *A, const int *offsets, const int *at, const float *B, float *C, int ldc,
                        bool accumulate) {
    assert(N % SH_NR == 0);
    if (M > 0 && N > 0 && P > 0) shifted_outer(M, N, P, A, offsets, at, B, C, ldc, accumulate);
}

void gemm_dots_shifted(int M, int N, int K, const float *A, const int *offsets, const float *B, int ldb, float *C, int ldc,
                       bool accumulate) {
    if (M > 0 && N > 0 && K > 0) shifted_dots(M, N, K, A, offsets, B, ldb, C, ldc, accumulate);
}

} // namespace liandan
