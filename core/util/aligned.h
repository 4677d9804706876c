// Storage on 64-byte boundaries: a vector row that starts on a cache line never straddles two,
// and a straddling load costs two (the shifted weight gradient's rows: 27 → 20 µs a sample).
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace liandan {

template <class T>
struct CacheLineAllocator {
    using value_type = T;
    static constexpr std::align_val_t alignment{64};
    CacheLineAllocator() = default;
    template <class U>
    CacheLineAllocator(const CacheLineAllocator<U> &) {}
    T *allocate(size_t n) { return static_cast<T *>(::operator new(n * sizeof(T), alignment)); }
    void deallocate(T *p, size_t) { ::operator delete(p, alignment); }
    friend bool operator==(const CacheLineAllocator &, const CacheLineAllocator &) { return true; }
};

// floats whose first element starts a cache line
using AlignedFloats = std::vector<float, CacheLineAllocator<float>>;

} // namespace liandan
