// A probe of the machine's floating-point peak on one thread: independent multiply-adds on
// vector registers, long enough to hide latency. Used by benchmarks to put GEMM figures in scale.
#pragma once

namespace liandan {

// Runs `iterations` rounds of 12 independent vector operations (AVX2: fused multiply-adds, 16
// flops each; SIMD128: multiplies and adds, 4 flops each); returns the flops done.
double peak_probe(long iterations);

} // namespace liandan
