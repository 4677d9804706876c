// A finger on the screen, as a tablet's or a phone's user expects it. SDL hands a touch to ImGui
// as a mouse (SDL_TOUCH_MOUSEID), and ImGui 1.86 has no touch scrolling, so a finger could scroll
// a panel only by its scrollbar. Here a finger that moves off the place it pressed pans the panel
// under it, unless what it pressed takes drags (a slider, a text field, a scrollbar, the drawing
// pad, the map with a data tool); and once lifted it leaves the screen, so nothing stays hovered.
#pragma once
#include <SDL.h>
#include <imgui.h>

class TouchInput {
public:
    // Every event, before ImGui's backend or the input queue takes it: notes whether the pointer
    // is a finger.
    void observe(const SDL_Event &e);
    // After the input queue's apply, before ImGui::NewFrame: pans, and hides the pointer from ImGui
    // while a finger pans and after it is lifted.
    void apply(ImGuiIO &io);
    bool finger() const { return finger_; } // the last pointer event came from a touch

private:
    enum class State { idle, pressed, dragging, panning };
    State state_ = State::idle;
    bool finger_ = false;        // the last pointer event came from a touch
    bool pointer_event_ = false; // a pointer event came since the last frame's apply
    bool was_down_ = false;      // the button as ImGui saw it last frame
    bool hidden_ = false;        // a finger was lifted: the pointer is off the screen until it comes back
    ImVec2 start_, last_;
    ImGuiID window_ = 0; // the window under the finger when it began to pan
};

// Marks the last item as one that a finger drags (the drawing pad; the map while a data tool is
// on): moving a finger pressed on it is its input, not a pan. Call each frame it holds.
void touch_drags_last_item();

// Whether a finger has been seen since the app started (controls may then offer taps for what a
// keyboard would do).
bool fingers_in_use();
