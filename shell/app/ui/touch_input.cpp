// See touch_input.h.
#include "ui/touch_input.h"

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
}

void TouchInput::apply(ImGuiIO &io) {
    ImGuiContext &g = *ImGui::GetCurrentContext();
    g_drag_items_drawn.swap(g_drag_items);
    g_drag_items.clear();
    const bool down = finger_ && io.MouseDown[0];
    const ImVec2 at = io.MousePos;
    // A finger moved this far from where it pressed is a swipe, not a tap.
    const float slop = ImGui::GetFontSize() * 0.6f;
    bool lifted = false;
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
        ImGui::ClearActiveID(); // the button it pressed is not clicked
        [[fallthrough]];
    case State::panning:
        if (!down) {
            state_ = State::idle;
            lifted = true;
            break;
        }
        if (ImGuiWindow *w = ImGui::FindWindowByID(window_)) {
            const ImVec2 moved{at.x - last_.x, at.y - last_.y};
            if (ImGuiWindow *x = scrollable(w, ImGuiAxis_X)) ImGui::SetScrollX(x, x->Scroll.x - moved.x);
            if (ImGuiWindow *y = scrollable(w, ImGuiAxis_Y)) ImGui::SetScrollY(y, y->Scroll.y - moved.y);
        }
        last_ = at;
        break;
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
