// A probe of the machine's floating-point peak on one thread: independent multiply-adds on
// vector registers, long enough to hide latency. Used by benchmarks to put GEMM figures in scale.
#pragma once

namespace liandan {

// Runs about `iterations` × 96 (AVX2: 192) vector multiply-adds; returns the flops done.
double peak_probe(long iterations);

} // namespace liandan
