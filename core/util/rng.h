// Seeded random numbers that give the same sequence on every platform.
// std:: distributions differ between libstdc++ (native) and libc++ (wasm), so none are used.
#pragma once
#include <cmath>
#include <cstdint>

namespace liandan {

// PCG32 (O'Neill, pcg-random.org): small state, good statistics, fully specified.
class Rng {
public:
    explicit Rng(uint64_t seed, uint64_t stream = 0x5851f42d4c957f2dULL) {
        inc_ = (stream << 1u) | 1u;
        next_u32();
        state_ += seed;
        next_u32();
    }
    uint32_t next_u32() {
        uint64_t old = state_;
        state_ = old * 6364136223846793005ULL + inc_;
        auto xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
        auto rot = static_cast<uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() {
        uint64_t hi = next_u32() >> 5, lo = next_u32() >> 6;
        return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n), unbiased (Lemire's rejection).
    uint32_t below(uint32_t n) {
        uint64_t m = static_cast<uint64_t>(next_u32()) * n;
        auto low = static_cast<uint32_t>(m);
        if (low < n) {
            uint32_t threshold = (0u - n) % n;
            while (low < threshold) {
                m = static_cast<uint64_t>(next_u32()) * n;
                low = static_cast<uint32_t>(m);
            }
        }
        return static_cast<uint32_t>(m >> 32);
    }
    // Standard normal by Box-Muller; one value per call keeps the sequence simple to reproduce.
    double normal() {
        double u1 = uniform(), u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    uint64_t state_ = 0, inc_ = 0;
};

// Fisher-Yates with our own Rng, so the permutation is the same everywhere.
template <class T> void shuffle(T *first, size_t n, Rng &rng) {
    for (size_t i = n; i > 1; --i) {
        size_t j = rng.below(static_cast<uint32_t>(i));
        T tmp = first[i - 1];
        first[i - 1] = first[j];
        first[j] = tmp;
    }
}

} // namespace liandan
