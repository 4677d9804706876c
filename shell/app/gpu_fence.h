// How long the GPU takes to finish a frame's commands: a fence put after them and looked at in
// later frame callbacks, never waited on. Under a software renderer (SwiftShader in headless
// Chromium, llvmpipe natively) that is CPU the frame costs outside the app's thread, which the
// callbacks' gaps do not show; the frame pacer (frame_pacer.h) counts it.
#pragma once

class GpuFence {
public:
    GpuFence() = default;
    GpuFence(const GpuFence &) = delete;
    GpuFence &operator=(const GpuFence &) = delete;
    // After a frame's draw calls: a fence, unless one is still pending.
    void submitted(double now_ms);
    // The pending fence's latency in ms once the GPU has passed it (late by up to a callback's
    // gap), else a negative value.
    double poll(double now_ms);
    // With the GL context still current.
    void release();

private:
    void *sync_ = nullptr; // a GLsync
    double at_ms_ = 0;
};
