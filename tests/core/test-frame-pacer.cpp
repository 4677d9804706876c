// The frame pacer (shell/app/frame_pacer.h): new snapshots are drawn at most four times a second,
// less often when frames cost more (on the app's thread or the GPU's), and never less than once a
// second, whatever one slow frame cost.
#include <gtest/gtest.h>

#include "frame_pacer.h"

namespace {
// Callbacks every 16.7 ms for `ms`, a frame drawn whenever one is due; each frame drawn delays
// the next callback by `cost_ms`, and the GPU finishes it `gpu_ms` later. Returns the frames drawn.
int run(FramePacer &p, double &now, double ms, double cost_ms, double gpu_ms = 0) {
    int drawn = 0;
    for (const double end = now + ms; now < end;) {
        p.callback(now);
        if (p.due(now)) {
            p.drawn(now);
            if (gpu_ms > 0) p.gpu_latency(gpu_ms);
            ++drawn;
            now += cost_ms;
        }
        now += 1000.0 / 60;
    }
    return drawn;
}
} // namespace

TEST(frame_pacer, cheap_frames_come_four_times_a_second) {
    FramePacer p;
    double now = 1000;
    run(p, now, 2000, 1);
    EXPECT_NEAR(run(p, now, 4000, 1), 16, 1);
}

TEST(frame_pacer, costly_frames_take_a_tenth_of_the_time) {
    FramePacer p;
    double now = 1000;
    run(p, now, 4000, 60);
    // 60 ms a frame drawn: one every 600 ms or so keeps the interface to a tenth.
    const int drawn = run(p, now, 6000, 60);
    EXPECT_GE(drawn, 8);
    EXPECT_LE(drawn, 12);
}

TEST(frame_pacer, the_gpus_time_to_finish_a_frame_counts_as_its_cost) {
    FramePacer p;
    double now = 1000;
    run(p, now, 4000, 1, 60);
    // Cheap for the app's thread, 60 ms for a software renderer: one every 610 ms or so.
    const int drawn = run(p, now, 6000, 1, 60);
    EXPECT_GE(drawn, 8);
    EXPECT_LE(drawn, 12);
}

TEST(frame_pacer, one_slow_frame_does_not_freeze_the_picture) {
    FramePacer p;
    double now = 1000;
    run(p, now, 1000, 1);
    p.callback(now);
    p.drawn(now);
    now += 3000; // a frame that took three seconds (a shader compiled, a tab in the background)
    EXPECT_LE(p.interval_ms(), FramePacer::k_max_interval_ms);
    EXPECT_GE(run(p, now, 2000, 1), 2);
}
