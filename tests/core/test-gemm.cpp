// The core's GEMM against a plain triple loop (in double) for every transpose combination and
// sizes that leave partial tiles and several K blocks; and row splits give identical bits.
#include "helpers.h"
#include "kernels/gemm.h"

using namespace liandan;

namespace {
struct Case {
    int M, N, K;
};

double max_error(bool ta, bool tb, Case c, bool accumulate) {
    Rng rng(uint64_t(c.M * 131 + c.N * 17 + c.K));
    std::vector<float> A(size_t(c.M) * c.K), B(size_t(c.K) * c.N), C(size_t(c.M) * c.N);
    for (float &v : A) v = float(rng.uniform(-1, 1));
    for (float &v : B) v = float(rng.uniform(-1, 1));
    for (float &v : C) v = float(rng.uniform(-1, 1));
    std::vector<float> C0 = C;
    const int lda = ta ? c.M : c.K, ldb = tb ? c.K : c.N;
    gemm(ta, tb, c.M, c.N, c.K, A.data(), lda, B.data(), ldb, C.data(), c.N, accumulate);
    double worst = 0;
    for (int i = 0; i < c.M; ++i)
        for (int j = 0; j < c.N; ++j) {
            double ref = accumulate ? C0[size_t(i) * c.N + j] : 0.0;
            for (int k = 0; k < c.K; ++k)
                ref += double(ta ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k]) * (tb ? B[size_t(j) * ldb + k] : B[size_t(k) * ldb + j]);
            worst = std::max(worst, std::abs(ref - C[size_t(i) * c.N + j]));
        }
    return worst;
}
} // namespace

TEST(gemm, matches_a_reference_for_all_transposes) {
    std::printf("  kernel: %s\n", gemm_kernel_name());
    for (Case c : {Case{1, 1, 1}, Case{7, 13, 5}, Case{6, 16, 256}, Case{37, 41, 600}, Case{100, 3, 9}, Case{2, 70, 300},
                   Case{9, 19, 259}, Case{13, 24, 30}, Case{5, 9, 300}, Case{4, 13, 300}}) // packing's 4-wide tails; dot tiles' edges
        for (int t = 0; t < 4; ++t)
            for (bool acc : {false, true}) {
                SCOPED_TRACE(testing::Message() << c.M << "x" << c.N << "x" << c.K << " trans " << t << " acc " << acc);
                // Products of K terms in [-1, 1]: float error grows like sqrt(K) · 1e-7.
                EXPECT_LT(max_error(t & 1, t & 2, c, acc), 1e-5 * std::sqrt(double(c.K)) + 1e-6);
            }
}

TEST(gemm, row_splits_are_bit_identical) {
    // B plain (packed path) and transposed (N ≤ 32 and K ≥ 256: the unpacked dot-product path).
    const int M = 50, N = 30, K = 700;
    for (bool tb : {false, true}) {
        Rng rng(3);
        std::vector<float> A(size_t(M) * K), B(size_t(K) * N), whole(size_t(M) * N), split(size_t(M) * N);
        for (float &v : A) v = float(rng.uniform(-1, 1));
        for (float &v : B) v = float(rng.uniform(-1, 1));
        const int ldb = tb ? K : N;
        gemm(false, tb, M, N, K, A.data(), K, B.data(), ldb, whole.data(), N, false);
        for (int r0 : {0, 7, 31}) {
            const int r1 = r0 == 0 ? 7 : r0 == 7 ? 31 : M;
            gemm(false, tb, r1 - r0, N, K, &A[size_t(r0) * K], K, B.data(), ldb, &split[size_t(r0) * N], N, false);
        }
        EXPECT_EQ(whole, split) << "trans_b " << tb;
    }
}

TEST(gemm, dot_products_sum_alike_in_every_tile) {
    // The narrow A · Bᵀ path sums its columns in tiles 8, 4 and 1 wide natively (4 and 1 in wasm),
    // each output's lanes summed in one fixed order: a column alone gives the bits it gets in the
    // whole product (a split by units may cut a tile anywhere).
    const int M = 3, N = 13, K = 700; // 8 + 4 + 1 columns; K not a whole number of vectors
    Rng rng(8);
    std::vector<float> A(size_t(M) * K), B(size_t(N) * K), whole(size_t(M) * N), alone(size_t(M) * N);
    for (float &v : A) v = float(rng.uniform(-1, 1));
    for (float &v : B) v = float(rng.uniform(-1, 1));
    ASSERT_EQ(gemm_path(false, true, N, K), GemmPath::dots);
    gemm(false, true, M, N, K, A.data(), K, B.data(), K, whole.data(), N, false);
    for (int j = 0; j < N; ++j) gemm(GemmPath::dots, false, true, M, 1, K, A.data(), K, &B[size_t(j) * K], K, &alone[size_t(j)], N, false);
    EXPECT_EQ(whole, alone);
}

TEST(gemm, small_products_split_by_columns_are_bit_identical) {
    // A layer's units split over threads: each block of columns takes the whole product's path,
    // whatever its width (small widths have unrolled loops of their own).
    for (const Case c : {Case{10, 8, 2}, Case{10, 8, 8}, Case{64, 16, 16}, Case{10, 2, 8}, Case{33, 12, 20}})
        for (bool tb : {false, true}) {
            Rng rng(uint64_t(c.N * 7 + c.K));
            std::vector<float> A(size_t(c.M) * c.K), B(size_t(c.K) * c.N), whole(size_t(c.M) * c.N), split(size_t(c.M) * c.N);
            for (float &v : A) v = float(rng.uniform(-1, 1));
            for (float &v : B) v = float(rng.uniform(-1, 1));
            const int ldb = tb ? c.K : c.N;
            const GemmPath path = gemm_path(false, tb, c.N, c.K);
            gemm(path, false, tb, c.M, c.N, c.K, A.data(), c.K, B.data(), ldb, whole.data(), c.N, false);
            for (int j0 = 0; j0 < c.N;) {
                const int j1 = std::min(c.N, j0 + (j0 == 0 ? 1 : 3)); // widths 1, 3, 3, ...: fixed and general loops both
                const float *b = tb ? &B[size_t(j0) * ldb] : &B[size_t(j0)];
                gemm(path, false, tb, c.M, j1 - j0, c.K, A.data(), c.K, b, ldb, &split[size_t(j0)], c.N, false);
                j0 = j1;
            }
            EXPECT_EQ(whole, split) << c.M << "x" << c.N << "x" << c.K << " trans_b " << tb;
        }
}

TEST(gemm, empty_inner_dimension_clears_or_keeps) {
    std::vector<float> C = {1, 2, 3, 4};
    gemm(false, false, 2, 2, 0, nullptr, 0, nullptr, 2, C.data(), 2, true);
    EXPECT_EQ(C, (std::vector<float>{1, 2, 3, 4}));
    gemm(false, false, 2, 2, 0, nullptr, 0, nullptr, 2, C.data(), 2, false);
    EXPECT_EQ(C, (std::vector<float>{0, 0, 0, 0}));
}

TEST(gemm, shifted_products_match_a_reference) {
    // Rows as windows into one buffer at increasing offsets (a padded image's kernel taps): the
    // product with them as B's rows, and with them as A's rows (outer products and dot products).
    Rng rng(21);
    const int width = gemm_shifted_width();
    for (int M : {1, 5, 8, 13, 16, 24}) {
        SCOPED_TRACE(M);
        const int K = 27, N = 3 * width, L = 37; // L: the dot products' length, not a whole vector
        std::vector<int> offsets(K);
        for (int k = 0, at = 0; k < K; ++k) offsets[k] = at += 1 + k % 7; // irregular steps
        std::vector<float> buffer(offsets.back() + std::max(N, L)), A(size_t(M) * K), packed(A.size()), C(size_t(M) * N);
        for (float &v : buffer) v = float(rng.uniform(-1, 1));
        for (float &v : A) v = float(rng.uniform(-1, 1));
        gemm_shifted_pack(M, K, A.data(), K, packed.data());
        gemm_shifted(M, N, K, packed.data(), buffer.data(), offsets.data(), C.data(), N);
        for (int i = 0; i < M; ++i)
            for (int j = 0; j < N; ++j) {
                double ref = 0;
                for (int k = 0; k < K; ++k) ref += double(A[size_t(i) * K + k]) * buffer[offsets[k] + j];
                ASSERT_NEAR(C[size_t(i) * N + j], ref, 1e-4) << i << "," << j;
            }
        // E [K, N] (+)= windows read at P places [K, P] · F [P, N]
        const int P = 19;
        std::vector<int> at(P);
        for (int p = 0, q = 0; p < P; ++p) at[p] = q += 1 + (p % 4 == 3) * 2; // gaps, as a frame's
        std::vector<float> wide(offsets.back() + at.back() + 1), F(size_t(P) * N), E(size_t(K) * N);
        for (float &v : wide) v = float(rng.uniform(-1, 1));
        for (float &v : F) v = float(rng.uniform(-1, 1));
        for (float &v : E) v = float(rng.uniform(-1, 1));
        for (bool accumulate : {false, true}) {
            std::vector<float> E0 = E;
            gemm_shifted_outer(K, N, P, wide.data(), offsets.data(), at.data(), F.data(), E.data(), N, accumulate);
            for (int k = 0; k < K; ++k)
                for (int j = 0; j < N; ++j) {
                    double ref = accumulate ? E0[size_t(k) * N + j] : 0.0;
                    for (int p = 0; p < P; ++p) ref += double(wide[offsets[k] + at[p]]) * F[size_t(p) * N + j];
                    ASSERT_NEAR(E[size_t(k) * N + j], ref, 1e-4) << k << "," << j << " accumulate " << accumulate;
                }
        }
        // D [K, M] (+)= windows [K, L] · B [M, L]ᵀ
        std::vector<float> B(size_t(M) * L), D(size_t(K) * M);
        for (float &v : B) v = float(rng.uniform(-1, 1));
        for (float &v : D) v = float(rng.uniform(-1, 1));
        for (bool accumulate : {false, true}) {
            std::vector<float> D0 = D;
            gemm_dots_shifted(K, M, L, buffer.data(), offsets.data(), B.data(), L, D.data(), M, accumulate);
            for (int k = 0; k < K; ++k)
                for (int i = 0; i < M; ++i) {
                    double ref = accumulate ? D0[size_t(k) * M + i] : 0.0;
                    for (int l = 0; l < L; ++l) ref += double(buffer[offsets[k] + l]) * B[size_t(i) * L + l];
                    ASSERT_NEAR(D[size_t(k) * M + i], ref, 1e-4) << k << "," << i << " accumulate " << accumulate;
                }
        }
    }
}
