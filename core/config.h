// Compile-time switches of the core, all in one place (docs/design.md, "Habits of the code").
#pragma once

// LIANDAN_THREADS: 1 when the core may start threads (native, wasm with pthreads), 0 for the
// single-threaded wasm build, where the session is pumped from the frame loop instead.
#ifndef LIANDAN_THREADS
#define LIANDAN_THREADS 1
#endif

// LIANDAN_SIMD_NAME: which vector path the build uses, shown in status lines and benchmarks.
#if defined(__wasm_simd128__)
#define LIANDAN_SIMD_NAME "wasm-simd128"
#elif defined(__AVX512F__) && defined(__FMA__)
#define LIANDAN_SIMD_NAME "avx512"
#elif defined(__AVX2__) && defined(__FMA__)
#define LIANDAN_SIMD_NAME "avx2-fma"
#elif defined(__AVX2__)
#define LIANDAN_SIMD_NAME "avx2"
#elif defined(__SSE2__)
#define LIANDAN_SIMD_NAME "sse2"
#else
#define LIANDAN_SIMD_NAME "scalar"
#endif
