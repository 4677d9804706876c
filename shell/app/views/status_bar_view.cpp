// The status bar: whether training runs and why it stopped, steps/s, the frame time, the build in
// use (SIMD path, threads), and the last message (a refused edit, an export).
#include <cmath>
#include <cstdio>
#include <string_view>

#include <imgui.h>

#include "config.h"
#include "i18n/tr.h"
#include "views/palette.h"
#include "views/views.h"

void draw_status_bar_view(const liandan::Snapshot &snap, const ViewContext &ctx) {
    const auto &spec = snap.spec;
    // Stopped only where the run cannot go on as it is (its weights diverged); a layer that died or
    // a refused change pauses it, and a new run is loading until its first snapshot is out.
    const char *state = ctx.load_pending ? tr("Loading…")
                        : snap.running ? tr("training")
                        : snap.diverged ? tr("stopped")
                        : snap.epoch_limit > 0 && snap.epoch_now >= snap.epoch_limit ? tr("done: all epochs")
                        : spec.train.target_loss > 0 && snap.metrics.loss_train <= spec.train.target_loss && snap.metrics.step > 0
                            ? tr("done: target loss reached")
                            : tr("paused");
    ImGui::Text("%s", state);
    ImGui::SameLine(0, ImGui::GetFontSize());
    if (snap.running) // stopped, the last rate would read as a pace still kept
        ImGui::Text(std::lround(snap.steps_per_s) == 1 ? tr("step %lld  |  %.0f step/s") : tr("step %lld  |  %.0f steps/s"),
                    static_cast<long long>(snap.steps_now), snap.steps_per_s);
    else
        ImGui::Text(tr("step %lld"), static_cast<long long>(snap.steps_now));
    if (snap.speed > 0) {
        ImGui::SameLine();
        ImGui::TextDisabled(tr("(limit %s)"), speed_shown(snap.speed, snap.speed_unit).c_str());
    }
    // The frame and the build are for the curious: on a narrow screen they give way (whole, or not
    // at all) to what is said after them.
    const auto fits = [](const char *text) {
        ImGui::SameLine(0, ImGui::GetFontSize());
        return ImGui::GetContentRegionAvail().x >= ImGui::CalcTextSize(text).x;
    };
    char frame[96];
    if (ctx.paced_fps >= 0) std::snprintf(frame, sizeof frame, tr("|  %.1f pictures/s while training"), ctx.paced_fps);
    else std::snprintf(frame, sizeof frame, tr("|  frame %.1f ms"), ctx.frame_ms);
    if (fits(frame)) ImGui::TextUnformatted(frame);
    else ImGui::Dummy({0, 0});
    if (ImGui::IsItemHovered()) {
        // Where the snapshot is made is fixed by the build: one whole text each.
        if (LIANDAN_THREADS)
            ImGui::SetTooltip(tr("Time between two frames (16.7 ms = 60 fps).\nOf it, building the views took %.1f ms; the rest is drawing and waiting for the screen.\n"
                                 "A snapshot of the training for the views (evaluation, maps) takes %.1f ms on the trainer's thread.\n"
                                 "While training at full speed, new pictures are drawn at most four times a second, fewer when one\n"
                                 "costs more (%.0f ms here, the GPU's part included), so that drawing (on the CPU where there\n"
                                 "is no GPU) leaves the machine to training; input is drawn at once."),
                              ctx.build_ms, snap.publish_ms, ctx.picture_ms);
        else
            ImGui::SetTooltip(tr("Time between two frames (16.7 ms = 60 fps).\nOf it, building the views took %.1f ms; the rest is drawing and waiting for the screen.\n"
                                 "A snapshot of the training for the views (evaluation, maps) takes %.1f ms of the frame.\n"
                                 "While training at full speed, new pictures are drawn at most four times a second, fewer when one\n"
                                 "costs more (%.0f ms here, the GPU's part included), so that drawing (on the CPU where there\n"
                                 "is no GPU) leaves the machine to training; input is drawn at once."),
                              ctx.build_ms, snap.publish_ms, ctx.picture_ms);
    }
    const std::string_view isolation = ctx.isolation;
    const char *threads = LIANDAN_THREADS ? tr("trainer on its own thread") : tr("single thread (time-sliced)");
    char build[160];
    if (isolation == "service worker") std::snprintf(build, sizeof build, tr("|  %s, %s (threads by the page's service worker)"), LIANDAN_SIMD_NAME, threads);
    else std::snprintf(build, sizeof build, tr("|  %s, %s"), LIANDAN_SIMD_NAME, threads);
    if (fits(build)) ImGui::TextDisabled("%s", build);
    else ImGui::Dummy({0, 0});
    if (ImGui::IsItemHovered() && !isolation.empty())
        ImGui::SetTooltip("%s", isolation == "none" ? tr("This page is not cross-origin isolated, which wasm threads need: the single-threaded build runs.\n"
                                                         "Serve it with COOP/COEP headers (scripts/serve.mjs does), or over https where its service worker can add them.")
                                : isolation == "headers" ? tr("The server sends the COOP/COEP headers that wasm threads need: the threaded build runs.")
                                                         : tr("The server sends no COOP/COEP headers; the page's service worker (sw.js) adds them, so the threaded build runs."));
    const std::string &notice = ctx.notice;
    if (!notice.empty()) {
        // Cut to the room left, with the whole of it in the tooltip and at the top of the Output panel.
        const std::string msg = display_message(notice);
        ImGui::SameLine(0, ImGui::GetFontSize());
        ImGui::PushStyleColor(ImGuiCol_Text, ctx.notice_is_error ? palette::error_text : palette::ok_text);
        const float room = ImGui::GetContentRegionAvail().x;
        std::string shown = msg;
        if (ImGui::CalcTextSize(shown.c_str()).x > room) {
            const std::string more = tr("… (hover)");
            while (!shown.empty() && ImGui::CalcTextSize((shown + more).c_str()).x > room) {
                shown.pop_back();
                while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back(); // whole UTF-8 characters
                if (!shown.empty() && static_cast<unsigned char>(shown.back()) >= 0xC0) shown.pop_back();
            }
            shown += more;
        }
        ImGui::TextUnformatted(shown.c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
            ImGui::TextUnformatted(msg.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
}
