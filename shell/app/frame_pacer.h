// While training runs at full speed, the interface takes a bounded share of the machine: on a
// 2-core machine every frame drawn is taken from training. In the page under a software renderer
// the GPU process spends 45-65 ms of CPU on each frame at 1280x800 (measured with
// scripts/bench-page --profile), and frame callbacks keep coming at 60 Hz all the same. So new
// snapshots are drawn at most k_max_paced_fps times a second, or less often when a frame's cost
// would take more than k_share of the time. The cost is what the app sees (how much later the
// next callback comes after a drawn frame than after a skipped one: building the views, GL
// submission) plus the time the GPU takes to finish the frame's commands (GpuFence), which a
// software renderer spends on the CPU. Under SwiftShader at 1280x800 on a 2-core machine, with
// training on both cores, the cost came to 100-120 ms: a picture a second (docs/performance.md).
// Input is not paced: it is drawn at the next callback, and so are the frames after it.
// One slow gap (a shader compiled, a texture made, a page in the background) once set the
// interval to many seconds, and as paced frames then stopped, the estimate never recovered: the
// picture froze while training. So a gap counts for at most k_max_gap_ms, and a new snapshot is
// drawn at least every k_max_interval_ms.
#pragma once
#include <algorithm>

class FramePacer {
public:
    static constexpr double k_share = 0.1;           // of the time, while training at full speed
    static constexpr double k_max_paced_fps = 4;     // TensorFlow Playground draws 3.9 a second while training here
    static constexpr double k_min_interval_ms = 1000 / k_max_paced_fps;
    static constexpr double k_max_interval_ms = 1000; // a live view: a picture a second at least
    static constexpr double k_max_gap_ms = 250;

    // At the start of every frame callback.
    void callback(double now_ms) {
        if (last_callback_ms_ > 0) {
            const double gap = std::min(now_ms - last_callback_ms_, k_max_gap_ms);
            double &mean = last_drawn_ ? drawn_gap_ms_ : skipped_gap_ms_;
            mean = mean > 0 ? 0.8 * mean + 0.2 * gap : gap;
        }
        last_callback_ms_ = now_ms;
        last_drawn_ = false;
    }
    // The frame of this callback was drawn.
    void drawn(double now_ms) {
        if (last_drawn_at_ms_ > 0) since_last_drawn_ms_ = now_ms - last_drawn_at_ms_;
        last_drawn_ = true;
        last_drawn_at_ms_ = now_ms;
    }
    // A drawn frame's commands took the GPU this long to finish (GpuFence's latency).
    void gpu_latency(double ms) {
        ms = std::min(ms, k_max_gap_ms);
        gpu_ms_ = gpu_ms_ > 0 ? 0.8 * gpu_ms_ + 0.2 * ms : ms;
    }
    double cost_ms() const { return std::max(0.0, drawn_gap_ms_ - (skipped_gap_ms_ > 0 ? skipped_gap_ms_ : 0.0)) + gpu_ms_; }
    double interval_ms() const { return std::clamp(cost_ms() / k_share, k_min_interval_ms, k_max_interval_ms); }
    // A paced frame (a new snapshot, no input) may be drawn now.
    bool due(double now_ms) const { return now_ms - last_drawn_at_ms_ >= interval_ms(); }
    // A frame for training's progress alone (the step and epoch counters between two costly
    // snapshots) may be drawn now: within the share, without the picture-a-second floor.
    bool progress_due(double now_ms) const { return now_ms - last_drawn_at_ms_ >= std::max(k_min_interval_ms, cost_ms() / k_share); }
    // Frames drawn a second, from the time between the last two drawn.
    double drawn_per_s() const { return since_last_drawn_ms_ > 0 ? 1000.0 / since_last_drawn_ms_ : 0.0; }

private:
    double last_callback_ms_ = 0, last_drawn_at_ms_ = 0, since_last_drawn_ms_ = 0;
    double drawn_gap_ms_ = 0, skipped_gap_ms_ = 0; // mean gaps after drawn and after skipped frames
    double gpu_ms_ = 0;                             // mean GPU latency of a drawn frame
    bool last_drawn_ = false;
};
