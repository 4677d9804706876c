// The frame layout (ImGui 1.86 has no docking, so panels are placed from the display size each
// frame): a top bar, then controls | network | output and curves side by side on a wide window,
// or tabs on a narrow one; a status bar at the bottom.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include <imgui.h>
#include <imgui_internal.h>

#include "app.h"
#include "platform.h"
#include "ui/screen_keyboard.h"
#include "ui/widget_locator.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

bool g_explanations = true; // the spec's view.hide_text turns them off (App::draw sets it each frame)

constexpr ImGuiWindowFlags k_fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;

// Panels draw no background: the frame's clear paints it (main.cpp). Under a software renderer
// their backgrounds were a million pixels blended every frame, a sixth of the frame.
bool begin_panel(const char *name, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(pos);
    // Never empty, but never taller than asked either: a short window's bar is 40 px, and a
    // 60 px floor laid it over the tabs below (it took their taps once it came to the front).
    ImGui::SetNextWindowSize({std::max(size.x, 60.0f), std::max(size.y, ImGui::GetFrameHeight())});
    return ImGui::Begin(name, nullptr, k_fixed | extra | ImGuiWindowFlags_NoBackground);
}

} // namespace

void help_marker(const char *text) {
    if (!g_explanations) return;
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    item_tooltip(text);
}

namespace {
// Whether the pointer has rested on the last item for a moment, as desktop toolkits wait before a
// tooltip: one that came at once covered the epoch counter beside the Play button just clicked. A
// click on the item hides its tooltip until the pointer leaves it. Items are told apart by their
// rectangles, which also tells apart texts without an ID; a hover that missed a frame starts over.
bool rested_on_item() {
    static ImVec2 item_min{-1, -1};
    static double since = 0;
    static int last_frame = -1;
    static bool clicked = false;
    if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return false;
    const ImVec2 min = ImGui::GetItemRectMin();
    const double now = ImGui::GetTime();
    const int frame = ImGui::GetFrameCount();
    if (min.x != item_min.x || min.y != item_min.y || frame > last_frame + 1) item_min = min, since = now, clicked = false;
    last_frame = frame;
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) clicked = true;
    return !clicked && now - since >= 0.4;
}
} // namespace

void item_tooltip(const char *text) {
    if (!g_explanations || !rested_on_item()) return;
    ImGui::BeginTooltip();
    text_wrapped(tr(text), ImGui::GetFontSize() * 28.0f);
    ImGui::EndTooltip();
}

namespace {
// Chinese (and Japanese) text breaks between any two characters; ImGui 1.86 breaks only at spaces
// and cuts a run longer than the line anywhere, which left half-empty lines before long runs.
bool is_cjk(unsigned c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF);
}
// Punctuation that never starts a line (it stays with the character before it).
bool closes(unsigned c) {
    return c == 0x3001 || c == 0x3002 || c == 0xFF0C || c == 0xFF0E || c == 0xFF1A || c == 0xFF1B || c == 0xFF01 ||
           c == 0xFF1F || c == 0xFF09 || c == 0x300D || c == 0x300F || c == 0x3011 || c == ')' || c == ',' || c == '.' ||
           c == ':' || c == ';' || c == '!' || c == '?';
}
} // namespace

void text_wrapped(std::string_view text, float width) {
    if (width <= 0) width = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4);
    ImFont *font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const char *s = text.data(), *end = text.data() + text.size();
    while (s < end) {
        // One line: as far as it fits, ended at the last place a break may go, or at a newline.
        const char *p = s, *brk = nullptr, *resume = nullptr;
        bool newline = false, at_space = false;
        float x = 0;
        unsigned prev = 0;
        while (p < end) {
            unsigned c = 0;
            const int n = std::max(1, ImTextCharFromUtf8(&c, p, end));
            if (c == '\n') {
                brk = p, resume = p + 1, newline = true;
                break;
            }
            if (c == ' ') brk = p, resume = p + 1, at_space = true;
            else if (p > s && (is_cjk(c) || is_cjk(prev)) && !closes(c) && prev != ' ') brk = p, resume = p, at_space = false;
            x += (c <= 0xFFFF ? font->GetCharAdvance(ImWchar(c)) : font->FallbackAdvanceX) * scale;
            if (x > width && p > s) break;
            prev = c;
            p += n;
        }
        if (newline) {
            // the line ends here, whatever its length
        } else if (p >= end) {
            brk = resume = end;
        } else if (!brk || brk == s) {
            brk = resume = p; // one word longer than the line: cut where it ends
            at_space = false;
        }
        ImGui::TextUnformatted(s, brk);
        s = resume;
        if (at_space && !newline)
            while (s < end && *s == ' ') ++s; // a line does not start with the space it broke at
    }
}

void wrap_before(float width) {
    if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void same_line_if_fits(float width, float spacing) {
    ImGui::SameLine(0, spacing);
    wrap_before(width);
}

float button_width(const char *label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }

bool input_int_on_commit(const char *label, int value, int *out, bool steps) {
    static std::unordered_map<ImGuiID, int> typing; // what is being typed, by field
    const ImGuiID id = ImGui::GetID(label);
    int v = typing.count(id) ? typing[id] : value;
    const bool changed = ImGui::InputInt(label, &v, steps ? 1 : 0, steps ? 10 : 0);
    if (steps) widget_locator_name_last_item(label); // the field and its buttons, a group that reports no label
    mark_numeric_field();
    if (ImGui::IsItemActive()) typing[id] = v;
    // Typed digits apply when typing ends; a step button's click at once.
    const bool commit = (ImGui::IsItemDeactivatedAfterEdit() || (changed && !ImGui::IsItemActive())) && v != value;
    if (!ImGui::IsItemActive()) typing.erase(id);
    if (commit) *out = v;
    return commit;
}

bool slider_on_release(const char *label, float value, float *out, float lo, float hi, const char *format, ImGuiSliderFlags flags,
                       const char *at_lo) {
    static std::unordered_map<ImGuiID, float> dragging; // where each slider is being dragged
    const ImGuiID id = ImGui::GetID(label);
    float v = dragging.count(id) ? dragging[id] : value;
    ImGui::SliderFloat(label, &v, lo, hi, at_lo && v <= lo ? at_lo : format, flags);
    if (ImGui::IsItemActive()) dragging[id] = v;
    const bool commit = ImGui::IsItemDeactivatedAfterEdit() && v != value;
    if (!ImGui::IsItemActive()) dragging.erase(id);
    if (commit) *out = v;
    return commit;
}

float checkbox_width(const char *label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

void App::release_textures() {
    release_controls_view_textures();
    release_named_sets_textures();
    release_network_view_textures();
    release_output_view_textures();
    view_.images.release_textures();
}

bool ViewContext::shown(const char *control) const {
    const auto &hidden = spec.view.hidden;
    return std::find(hidden.begin(), hidden.end(), control) == hidden.end();
}

namespace {
// The slim bar of an embedded page: play, reset, the epoch and the losses (each hidden by its
// _hide key like the full bar's).
void draw_embed_bar(const liandan::Snapshot &snap, ViewContext &ctx) {
    if (ctx.shown("playButton")) {
        if (ImGui::Button(snap.running ? trl("Pause") : trl("Play"))) ctx.commands.toggle_play();
        ImGui::SameLine();
    }
    if (ctx.shown("resetButton")) {
        if (ImGui::Button(trl("Reset"))) ctx.commands.reset();
        ImGui::SameLine();
    }
    ImGui::AlignTextToFramePadding();
    ImGui::Text(tr("Epoch %d   loss %.3f train, %.3f test"), snap.metrics.epoch, snap.metrics.loss_train, snap.metrics.loss_test);
}
} // namespace

void App::draw() {
    ++frames_drawn_;
    const std::string &now_notice = notice();
    ViewContext ctx{spec_,          view_,
                    *this,          data_files_,
                    load_pending(), last_toy_spec_,
                    fetch_ ? &fetch_->progress : nullptr,
                    now_notice,     notice_is_error(), notice_is_done(),
                    frame_ms_,      build_ms_,
                    paced_fps_,     picture_ms_,
                    platform_isolation(),
                    lesson_,        lesson_variant_};
    g_explanations = !spec_.view.hide_text;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float em = ImGui::GetFontSize(), m = std::round(em * 0.4f);
    // The top bar's controls need about 66 em; a narrower window gets more rows of them, as many
    // as the last frame's bar took (its captions' widths follow the language). A window under
    // 30 em tall or 40 em wide (a phone) gets a bar of one line, or two, its settings in a menu,
    // so the views keep the height.
    static float drawn_top_h = 0;
    const bool short_bar = display.y < 30 * em || display.x < 40 * em;
    const float top_rows = display.x >= 67 * em ? 1 : 2;
    const float top_h = std::max(drawn_top_h, short_bar ? ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2
                                                        : ImGui::GetFrameHeightWithSpacing() * 2 * top_rows + ImGui::GetStyle().WindowPadding.y * 2);
    const float status_h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2 - 4;
    const float body_y = m + top_h + m, body_h = display.y - body_y - status_h - 2 * m;

    if (view_.embed != ViewSettings::Embed::none) { // a tutorial's iframe: the bar, then the output (and the network)
        const float bar_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2;
        if (begin_panel(trl("Liandan"), {m, m}, {display.x - 2 * m, bar_h}, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
            draw_embed_bar(*snap_, ctx);
        ImGui::End();
        const float y = 2 * m + bar_h, h = display.y - y - m;
        float output_x = m, output_w = display.x - 2 * m;
        HoveredUnit hovered;
        if (view_.embed == ViewSettings::Embed::network) {
            // The output as large as the frame allows, but the network first: a small iframe gives
            // the output down to 28% of the width where that spares the network's columns scrolling
            // (where even that would not, they scroll beside an output of the usual size).
            const float largest = std::min(h, display.x * 0.4f), need = network_view_width_needed();
            const float left = display.x - need - 3 * m;
            output_w = need > 0 && left >= std::min(largest, display.x * 0.28f) ? std::min(left, largest) : largest;
            const float network_w = display.x - output_w - 3 * m;
            if (begin_panel(trl("Network"), {m, y}, {network_w, h}, ImGuiWindowFlags_HorizontalScrollbar)) hovered = draw_network_view(*snap_, ctx);
            ImGui::End();
            output_x = 2 * m + network_w;
        }
        view_.output_beside = view_.embed == ViewSettings::Embed::network;
        if (begin_panel(trl("Output"), {output_x, y}, {output_w, h})) draw_output_view(*snap_, ctx, hovered);
        ImGui::End();
        draw_replace_question(*snap_, ctx);
        return;
    }

    if (begin_panel(trl("Liandan"), {m, m}, {display.x - 2 * m, top_h}, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
        draw_top_bar_view(*snap_, ctx, short_bar);
        drawn_top_h = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().WindowPadding.y;
    }
    ImGui::End();

    // Three columns from 64 em (960 px at 100%), so a 1024 px window shows the network and the
    // output side by side while training; narrower windows get tabs.
    const bool columns = display.x >= 64 * em;
    view_.output_beside = columns;
    if (columns) {
        const float left_w = std::clamp(display.x * 0.22f, 17 * em, 22 * em);
        const float right_w = std::clamp(display.x * 0.28f, 18 * em, 34 * em);
        const float center_w = display.x - left_w - right_w - 4 * m;
        // A lesson's text stands above the controls, beside the network it is about.
        // Its panel is as tall as its text was last drawn (a first guess before that), within reason.
        const float lesson_h = lesson_ ? std::round(std::clamp(view_.lesson_height > 0 ? view_.lesson_height : body_h * 0.42f, 8 * em, body_h * 0.6f)) : 0;
        if (lesson_) {
            if (begin_panel(trl("Lesson"), {m, body_y}, {left_w, lesson_h})) draw_lesson_view(*lesson_, ctx);
            ImGui::End();
        }
        const float controls_y = body_y + (lesson_ ? lesson_h + m : 0);
        if (begin_panel(trl("Experiment"), {m, controls_y}, {left_w, body_h - (controls_y - body_y)})) draw_controls_view(*snap_, ctx);
        ImGui::End();
        HoveredUnit hovered; // the network view hands it to the output view
        if (begin_panel(trl("Network"), {2 * m + left_w, body_y}, {center_w, body_h}, ImGuiWindowFlags_HorizontalScrollbar))
            hovered = draw_network_view(*snap_, ctx);
        ImGui::End();
        const float right_x = 3 * m + left_w + center_w;
        // The plane's map is square; tables and images have more to show (curves, scores) than their curves' panel.
        const float output_h = snap_->data->toy ? std::min(body_h * 0.52f, right_w + 5 * em) : body_h * 0.64f;
        if (begin_panel(trl("Output"), {right_x, body_y}, {right_w, output_h})) draw_output_view(*snap_, ctx, hovered);
        ImGui::End();
        if (begin_panel(trl("Curves and statistics"), {right_x, body_y + output_h + m}, {right_w, body_h - output_h - m})) {
            if (ImGui::BeginTabBar("##right_tabs")) {
                if (ImGui::BeginTabItem(trl("Curves"))) {
                    draw_curve_view(*snap_);
                    ImGui::EndTabItem();
                }
                if (ImGui::BeginTabItem(trl("Inside the network"))) {
                    draw_stats_view(*snap_);
                    ImGui::EndTabItem();
                }
                ImGui::EndTabBar();
            }
        }
        ImGui::End();
    } else { // narrow: one panel of tabs
        // A tall one (a tablet or a phone upright) keeps the output in sight under the tabs, as a
        // wide one keeps it beside the network.
        const bool output_below = body_h > display.x;
        const float output_h = output_below ? std::round(std::min(display.x * 0.75f, body_h * 0.45f)) : 0;
        const float tabs_h = output_below ? body_h - output_h - m : body_h;
        view_.output_beside = output_below;
        HoveredUnit hovered;
        if (begin_panel(trl("Playground"), {m, body_y}, {display.x - 2 * m, tabs_h}, ImGuiWindowFlags_NoTitleBar)) {
            if (ImGui::BeginTabBar("##tabs")) {
                // A lesson just opened is shown: its text is what the learner asked for.
                static const liandan::Lesson *shown_lesson = nullptr;
                const bool show_lesson = lesson_ && lesson_ != shown_lesson;
                shown_lesson = lesson_;
                auto tab = [&](const char *name, auto draw, ImGuiTabItemFlags flags = 0) {
                    const bool open = ImGui::BeginTabItem(name, nullptr, flags);
                    widget_locator_name_last_item(name); // tabs report no label by themselves
                    if (open) {
                        ImGui::BeginChild(name, {0, 0}, false, ImGuiWindowFlags_HorizontalScrollbar);
                        draw();
                        ImGui::EndChild();
                        ImGui::EndTabItem();
                    }
                };
                if (lesson_) tab(trl("Lesson"), [&] { draw_lesson_view(*lesson_, ctx); }, show_lesson ? ImGuiTabItemFlags_SetSelected : 0);
                tab(trl("Network"), [&] { hovered = draw_network_view(*snap_, ctx); });
                if (!output_below) tab(trl("Output"), [&] { draw_output_view(*snap_, ctx, {}); });
                tab(trl("Experiment"), [&] { draw_controls_view(*snap_, ctx); });
                tab(trl("Curves"), [&] { draw_curve_view(*snap_); });
                tab(trl("Inside the network"), [&] { draw_stats_view(*snap_); });
                ImGui::EndTabBar();
            }
        }
        ImGui::End();
        if (output_below) {
            if (begin_panel(trl("Output"), {m, body_y + tabs_h + m}, {display.x - 2 * m, output_h})) draw_output_view(*snap_, ctx, hovered);
            ImGui::End();
        }
    }

    if (begin_panel(trl("Status"), {m, display.y - status_h - m}, {display.x - 2 * m, status_h},
                    ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
        draw_status_bar_view(*snap_, ctx);
    ImGui::End();
    draw_replace_question(*snap_, ctx);
    send_view(); // a control this frame may have changed them
}
