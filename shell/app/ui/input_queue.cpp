// See input_queue.h.
#include "ui/input_queue.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include <imgui_impl_sdl.h>

namespace {

int imgui_button(Uint8 sdl_button) {
    switch (sdl_button) {
    case SDL_BUTTON_LEFT: return 0;
    case SDL_BUTTON_RIGHT: return 1;
    case SDL_BUTTON_MIDDLE: return 2;
    default: return -1;
    }
}

bool is_button(const SDL_Event &e) {
    return (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP) && imgui_button(e.button.button) >= 0;
}

bool is_key(const SDL_Event &e) { return e.type == SDL_KEYDOWN || e.type == SDL_KEYUP; }

} // namespace

bool InputQueue::take(const SDL_Event &e) {
    const bool input = e.type == SDL_MOUSEMOTION || e.type == SDL_MOUSEWHEEL || e.type == SDL_TEXTINPUT;
    if (!is_button(e) && !is_key(e) && !(input && !events_.empty())) return false;
    events_.push_back(e);
    pointer_waiting_ |= is_button(e);
    return true;
}

void InputQueue::apply(ImGuiIO &io, const std::function<void(const SDL_Event &)> &on_key) {
    bool button_changed[3] = {};
    std::vector<SDL_Scancode> keys_changed;
    const bool pointer = pointer_waiting_;
    while (!events_.empty()) {
        const SDL_Event e = events_.front();
        if (is_button(e)) {
            const int b = imgui_button(e.button.button);
            const bool down = e.type == SDL_MOUSEBUTTONDOWN;
            const ImVec2 at(float(e.button.x), float(e.button.y));
            if (down != down_[b]) {
                if (button_changed[b]) break; // the next frame's
                // A press where ImGui did not see the pointer last frame (a tap, a jump and click)
                // waits a frame with the pointer there: tabs take a press only on the item that
                // was hovered the frame before (ImGuiButtonFlags_AllowItemOverlap).
                if (down && (at.x != seen_pos_.x || at.y != seen_pos_.y)) {
                    pos_ = at;
                    break;
                }
                button_changed[b] = true;
                down_[b] = down;
            }
            pos_ = at;
        } else if (is_key(e)) {
            const SDL_Scancode k = e.key.keysym.scancode;
            if (!e.key.repeat) {
                if (std::find(keys_changed.begin(), keys_changed.end(), k) != keys_changed.end()) break; // the next frame's
                keys_changed.push_back(k);
            }
            ImGui_ImplSDL2_ProcessEvent(&e);
            on_key(e);
        } else if (e.type == SDL_MOUSEMOTION) {
            // A move after a press waits for the next frame, so the press lands where it was made
            // (a finger pressing a button and moving on at once would press what lies further on).
            if (std::any_of(std::begin(button_changed), std::end(button_changed), [](bool b) { return b; })) break;
            pos_ = ImVec2(float(e.motion.x), float(e.motion.y));
        } else {
            ImGui_ImplSDL2_ProcessEvent(&e); // wheel, text
        }
        events_.pop_front();
    }
    pointer_waiting_ = std::any_of(events_.begin(), events_.end(), is_button);
    if (pointer) { // the backend read the pointer as it is now; these events say where it was
        io.MousePos = pos_;
        for (int b = 0; b < 3; ++b) io.MouseDown[b] = down_[b];
    }
}

void InputQueue::handed(const ImGuiIO &io) {
    for (int b = 0; b < 3; ++b) down_[b] = io.MouseDown[b];
    seen_pos_ = io.MousePos;
}
