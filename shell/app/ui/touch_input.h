// A finger on the screen, as a tablet's or a phone's user expects it. SDL hands a touch to ImGui
// as a mouse (SDL_TOUCH_MOUSEID), and ImGui 1.86 has no touch scrolling, so a finger could scroll
// a panel only by its scrollbar. Here a finger that moves off the place it pressed pans the panel
// under it, unless what it pressed takes drags (a slider, a text field, a scrollbar, the drawing
// pad, the map with a data tool); a panel flung by it glides on and slows down, as a phone's lists
// do; and once lifted it leaves the screen, so nothing stays hovered.
#pragma once
#include <deque>

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
    // A finger pans or a flung panel moves: frames are wanted (a finger standing still sends no
    // events, and the frames tell a still finger from a busy page).
    bool moving() const { return state_ == State::panning || state_ == State::gliding; }

private:
    enum class State { idle, pressed, dragging, panning, gliding };
    State state_ = State::idle;
    bool finger_ = false;        // the last pointer event came from a touch
    bool pointer_event_ = false; // a pointer event came since the last frame's apply
    bool was_down_ = false;      // the button as ImGui saw it last frame
    bool hidden_ = false;        // a finger was lifted: the pointer is off the screen until it comes back
    ImVec2 start_, last_;
    ImGuiID window_ = 0; // the window under the finger when it began to pan
    struct Move {
        Uint32 ms; // SDL's event time
        ImVec2 at;
    };
    std::deque<Move> moves_; // the finger's last moves (about k_fling_ms of them)
    ImVec2 fling_;           // the speed a finger left the screen at, pixels a second
    Uint32 pressed_ms_ = 0;  // when the finger pressed, by SDL's event time
    Uint32 panned_ms_ = 0, frame_gap_ms_ = 0; // the last frame that panned, and its gap to the one before
    int still_frames_ = 0;   // frames since the panning finger last moved
    ImVec2 velocity_;        // of a glide
    Uint32 glided_ms_ = 0;   // the glide's last step
};

// Marks the last item as one that a finger drags (the drawing pad; the map while a data tool is
// on): moving a finger pressed on it is its input, not a pan. Call each frame it holds.
void touch_drags_last_item();

// Whether a finger has been seen since the app started (controls may then offer taps for what a
// keyboard would do).
bool fingers_in_use();
