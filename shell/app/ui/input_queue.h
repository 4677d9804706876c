// Input events handed to ImGui at most one press or release per button and key a frame, in the
// order they came. ImGui 1.86 (Debian's) has no input queue: its SDL backend reads the pointer once
// a frame and sets a key's state from each event, so at software-rendered frame rates two clicks
// within one frame merge into one, a quick click lands where the pointer is at the frame's end, and
// a key pressed and released within one frame (Enter typed by a test, or by a quick hand) is never
// seen. ImGui 1.87 queues input for these reasons; this does the same in front of 1.86. A press
// comes a frame after the pointer reached its place, as a hand's does, so a tap selects a tab.
#pragma once
#include <deque>
#include <functional>

#include <SDL.h>
#include <imgui.h>

class InputQueue {
public:
    // Takes the event if it is the queue's: button and key events always, and everything else
    // that ImGui reads while events wait (so nothing overtakes them). False: not the queue's.
    bool take(const SDL_Event &e);
    // After ImGui_ImplSDL2_NewFrame: hands ImGui the waiting events up to the second change of a
    // button or key; on_key sees each key event handed on (the app's shortcuts). While pointer
    // events wait, the pointer's place and buttons are those of the events, not the backend's.
    void apply(ImGuiIO &io, const std::function<void(const SDL_Event &)> &on_key);
    // Before ImGui::NewFrame, after anything that changed the pointer since apply (TouchInput):
    // notes the pointer as ImGui gets it.
    void handed(const ImGuiIO &io);
    bool empty() const { return events_.empty(); } // nothing waits for a frame

private:
    std::deque<SDL_Event> events_;
    ImVec2 pos_{-FLT_MAX, -FLT_MAX};
    ImVec2 seen_pos_{-FLT_MAX, -FLT_MAX}; // the pointer's place in ImGui's last frame
    bool down_[3] = {};          // the buttons as ImGui last saw them
    bool pointer_waiting_ = false; // a button event is among the waiting ones
};
