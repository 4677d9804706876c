// See touch_input.h.
#include "ui/touch_input.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include <imgui_internal.h>

namespace {

bool g_fingers_in_use = false;
std::vector<ImGuiID> g_drag_items; // marked in the frame being drawn
std::vector<ImGuiID> g_drag_items_drawn; // in the last frame drawn

// Whether the active item (pressed last frame) uses the pointer's moves: ImGui's sliders and text
// fields claim the arrow keys when pressed (that is how they are told apart; a window's empty
// space claims them all too), scrollbars are their windows', and the views mark their own canvases.
bool active_item_takes_drags() {
    ImGuiContext &g = *ImGui::GetCurrentContext();
    if (!g.ActiveId) return false;
    if (g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId) return false; // a window's empty space (the panels do not move)
    if (g.ActiveIdUsingNavDirMask & ((1 << ImGuiDir_Left) | (1 << ImGuiDir_Right) | (1 << ImGuiDir_Up) | (1 << ImGuiDir_Down))) return true;
    if (ImGuiWindow *w = g.ActiveIdWindow)
        if (g.ActiveId == ImGui::GetWindowScrollbarID(w, ImGuiAxis_X) || g.ActiveId == ImGui::GetWindowScrollbarID(w, ImGuiAxis_Y)) return true;
    for (ImGuiID id : g_drag_items_drawn)
        if (id == g.ActiveId) return true;
    return false;
}

// The window, or the first of its parents, that can scroll along an axis.
ImGuiWindow *scrollable(ImGuiWindow *w, ImGuiAxis axis) {
    for (; w; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr)
        if (w->ScrollMax[axis] > 0 && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse)) return w;
    return nullptr;
}

// Moves the content of a window (or of its first parent that scrolls on each axis) by `by`, as a
// finger drags it; returns how far it went on each axis (less at an end).
ImVec2 pan(ImGuiID window, ImVec2 by) {
    ImVec2 went(0, 0);
    ImGuiWindow *w = ImGui::FindWindowByID(window);
    for (ImGuiAxis axis : {ImGuiAxis_X, ImGuiAxis_Y}) {
        ImGuiWindow *s = w ? scrollable(w, axis) : nullptr;
        if (!s) continue;
        const float to = std::clamp(s->Scroll[axis] - by[axis], 0.0f, s->ScrollMax[axis]);
        went[axis] = s->Scroll[axis] - to;
        if (axis == ImGuiAxis_X) ImGui::SetScrollX(s, to);
        else ImGui::SetScrollY(s, to);
    }
    return went;
}

// A glide: a finger lifted at k_fling_em a second or more slows down with a time constant of
// k_glide_s (it goes about speed × k_glide_s further, as a phone's list does) and stops under
// k_stop_em a second or at the content's end. Its speed is that of its moves in the last
// k_fling_ms, by the events' times. A finger that stood still that long, seen so by two frames
// or more, flings nothing: a busy page takes its events only between frames, so a long frame
// alone between the last move and the lift says nothing.
constexpr float k_fling_em = 3, k_stop_em = 1, k_max_em = 400;
constexpr Uint32 k_fling_ms = 100;
constexpr double k_glide_s = 0.4;

} // namespace

bool fingers_in_use() { return g_fingers_in_use; }

void touch_drags_last_item() { g_drag_items.push_back(ImGui::GetCurrentContext()->LastItemData.ID); }

void TouchInput::observe(const SDL_Event &e) {
    if (e.type == SDL_MOUSEMOTION) finger_ = e.motion.which == SDL_TOUCH_MOUSEID;
    else if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP) finger_ = e.button.which == SDL_TOUCH_MOUSEID;
    else if (e.type == SDL_MOUSEWHEEL) finger_ = false;
    else return;
    pointer_event_ = true;
    g_fingers_in_use |= finger_;
    if (!finger_) return;
    if (e.type == SDL_MOUSEBUTTONDOWN) moves_.clear(), pressed_ms_ = e.button.timestamp;
    if (e.type == SDL_MOUSEMOTION) {
        moves_.push_back({e.motion.timestamp, ImVec2(float(e.motion.x), float(e.motion.y))});
        while (moves_.size() > 2 && moves_.back().ms - moves_[1].ms >= k_fling_ms) moves_.pop_front();
    }
    if (e.type == SDL_MOUSEBUTTONUP) { // the speed it left at; none if it had stood still
        fling_ = ImVec2(0, 0);
        const bool stood = still_frames_ >= 2 && !moves_.empty() && e.button.timestamp - moves_.back().ms >= k_fling_ms;
        if (moves_.size() >= 2 && !stood) {
            const Move &a = moves_.front(), &b = moves_.back();
            // Moves taken in one go after a long frame carry nearly one time: they took a frame at
            // least, or the whole touch if no frame came between them.
            const Uint32 took = std::max(b.ms - a.ms, frame_gap_ms_ ? frame_gap_ms_ : e.button.timestamp - pressed_ms_);
            const float s = float(std::max<Uint32>(took, 16)) / 1000.0f;
            fling_ = ImVec2((b.at.x - a.at.x) / s, (b.at.y - a.at.y) / s);
        }
        moves_.clear();
    }
}

void TouchInput::apply(ImGuiIO &io) {
    ImGuiContext &g = *ImGui::GetCurrentContext();
    g_drag_items_drawn.swap(g_drag_items);
    g_drag_items.clear();
    const bool down = finger_ && io.MouseDown[0];
    const ImVec2 at = io.MousePos;
    const float em = ImGui::GetFontSize();
    const float slop = em * 0.6f; // a finger moved this far from where it pressed is a swipe, not a tap
    bool lifted = false;
    const Uint32 now_ms = SDL_GetTicks(); // the clock of SDL's event times
    if (state_ == State::gliding && (down || io.MouseWheel != 0 || io.MouseWheelH != 0)) {
        // A finger on the gliding panel catches it: it holds the panel as if it had panned from
        // there, so the touch presses nothing. Elsewhere, or a wheel, just stops it.
        const ImGuiWindow *w = ImGui::FindWindowByID(window_);
        state_ = down && w && w->Rect().Contains(at) ? State::panning : State::idle;
        start_ = last_ = at;
        panned_ms_ = frame_gap_ms_ = 0;
        still_frames_ = 0;
    }
    switch (state_) {
    case State::idle:
        if (down) state_ = State::pressed, start_ = last_ = at;
        break;
    case State::pressed: // ImGui saw the press last frame: what it pressed is known now
        if (!down) {
            state_ = State::idle;
            break;
        }
        if (std::hypot(at.x - start_.x, at.y - start_.y) < slop) break;
        if (active_item_takes_drags()) {
            state_ = State::dragging;
            break;
        }
        state_ = State::panning;
        window_ = g.HoveredWindow ? g.HoveredWindow->ID : 0;
        panned_ms_ = frame_gap_ms_ = 0;
        still_frames_ = 0;
        ImGui::ClearActiveID(); // the button it pressed is not clicked
        [[fallthrough]];
    case State::panning:
        if (at.x > -FLT_MAX / 2 && (at.x != last_.x || at.y != last_.y)) { // the moves up to the lift included
            pan(window_, ImVec2(at.x - last_.x, at.y - last_.y));
            last_ = at;
            if (panned_ms_) frame_gap_ms_ = now_ms - panned_ms_;
            panned_ms_ = now_ms;
            still_frames_ = 0;
        } else if (down) {
            ++still_frames_;
        }
        if (!down) {
            const float speed = std::hypot(fling_.x, fling_.y), most = k_max_em * em;
            velocity_ = speed > most ? ImVec2(fling_.x * most / speed, fling_.y * most / speed) : fling_;
            state_ = speed > k_fling_em * em ? State::gliding : State::idle;
            glided_ms_ = now_ms;
            lifted = true;
        }
        break;
    case State::gliding: {
        const float dt = float(std::min<Uint32>(now_ms - glided_ms_, 100)) / 1000.0f; // a long gap between frames moves it no further than 0.1 s
        glided_ms_ = now_ms;
        const ImVec2 by{velocity_.x * dt, velocity_.y * dt};
        const ImVec2 went = pan(window_, by);
        const float decay = float(std::exp(-dt / k_glide_s));
        // An axis that reached its end stops there.
        velocity_ = ImVec2(std::abs(went.x) < 0.5f * std::abs(by.x) ? 0 : velocity_.x * decay,
                           std::abs(went.y) < 0.5f * std::abs(by.y) ? 0 : velocity_.y * decay);
        if (std::hypot(velocity_.x, velocity_.y) < k_stop_em * em) state_ = State::idle;
        break;
    }
    case State::dragging:
        if (!down) state_ = State::idle;
        break;
    }
    // A lifted finger leaves the screen the frame after ImGui saw its release (that frame's tap
    // still lands where it was), until the pointer comes back.
    if (hidden_ && pointer_event_) hidden_ = false;
    const bool hide = hidden_ || state_ == State::panning || lifted;
    if (finger_ && was_down_ && !io.MouseDown[0] && state_ != State::panning) hidden_ = true;
    if (lifted) hidden_ = true;
    pointer_event_ = false;
    // While it pans, the finger points at nothing: no button under it lights up or takes the release.
    if (hide) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX), io.MouseDown[0] = false;
    was_down_ = io.MouseDown[0];
}
