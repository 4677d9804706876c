// See mouse_queue.h.
#include "ui/mouse_queue.h"

namespace {

int imgui_button(Uint8 sdl_button) {
    switch (sdl_button) {
    case SDL_BUTTON_LEFT: return 0;
    case SDL_BUTTON_RIGHT: return 1;
    case SDL_BUTTON_MIDDLE: return 2;
    default: return -1;
    }
}

} // namespace

bool MouseQueue::take(const SDL_Event &e) {
    if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP) {
        const int b = imgui_button(e.button.button);
        if (b < 0) return false;
        events_.push_back({float(e.button.x), float(e.button.y), b, e.type == SDL_MOUSEBUTTONDOWN});
        return true;
    }
    // The backend polls the position and ignores moves; a move matters only between waiting clicks.
    if (e.type == SDL_MOUSEMOTION && !events_.empty()) events_.push_back({float(e.motion.x), float(e.motion.y)});
    return false;
}

void MouseQueue::apply(ImGuiIO &io) {
    if (!events_.empty()) {
        while (!events_.empty()) {
            const Event ev = events_.front();
            events_.pop_front();
            pos_ = ImVec2(ev.x, ev.y);
            if (ev.button >= 0 && down_[ev.button] != ev.down) {
                down_[ev.button] = ev.down;
                break; // one change a frame, so ImGui sees every press and every release
            }
        }
        io.MousePos = pos_;
        for (int b = 0; b < 3; ++b) io.MouseDown[b] = down_[b];
    }
    for (int b = 0; b < 3; ++b) down_[b] = io.MouseDown[b];
}
