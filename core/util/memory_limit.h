// How much memory a run may take: the spec's limits.memory_mb, or less where the host has less
// to give (a page's wasm heap is fixed or capped). Checked before anything is allocated; the
// refusal names the limit that binds, so the user knows whether raising limits.memory_mb helps.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>

namespace liandan {

// What the host can still give, measured when a run is made: 0 MB = no limit beyond the spec's.
struct HostMemory {
    double free_mb = 0;
    std::string name;   // "the page's free memory"
    std::string detail; // "its wasm heap holds at most 512 MB"
};

struct MemoryLimit {
    double mb = 512;
    HostMemory host; // set when the host's free memory binds, not limits.memory_mb

    MemoryLimit(double spec_mb) : mb(spec_mb) {} // NOLINT: a plain number is the spec's limit
    MemoryLimit(double spec_mb, const HostMemory &h) : mb(spec_mb) {
        if (h.free_mb > 0 && h.free_mb < spec_mb) mb = h.free_mb, host = h;
    }

    bool by_host() const { return host.free_mb > 0; }
    // "over the limit of 512 MB" / "over the page's free memory of 300 MB (its wasm heap ...)"
    std::string over() const {
        const std::string n = std::to_string(int(std::floor(mb)));
        if (!by_host()) return "over the limit of " + n + " MB";
        return "over " + host.name + " of " + n + " MB" + (host.detail.empty() ? "" : " (" + host.detail + ")");
    }
    // What the user can do about it.
    std::string advice() const { return by_host() ? "shrink the model or the data" : "shrink the model or raise the limit"; }
};

} // namespace liandan
