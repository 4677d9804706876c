// The pointer's button events, handed to ImGui one change per frame at the place it happened.
// ImGui 1.86's SDL backend reads the pointer once a frame (where it is now, and whether a button
// went down since), so at software-rendered frame rates two clicks within one frame merge into one
// and a quick click lands where the pointer is at the frame's end. ImGui 1.87 queues input for
// this reason; Debian ships 1.86. Wheel, keys and text still go straight to the backend.
#pragma once
#include <deque>

#include <SDL.h>
#include <imgui.h>

class MouseQueue {
public:
    // Keeps the button events of the left, right and middle buttons, and the moves between them
    // while any are waiting. True if the event is the queue's: the backend must not see it.
    bool take(const SDL_Event &e);
    // After ImGui_ImplSDL2_NewFrame: while events wait, this frame gets the next button change and
    // the pointer's place then; with none waiting, the backend's reading stands.
    void apply(ImGuiIO &io);
    bool waiting() const { return !events_.empty(); }

private:
    struct Event {
        float x = 0, y = 0;
        int button = -1; // ImGui's index (0 left, 1 right, 2 middle); -1 for a move
        bool down = false;
    };
    std::deque<Event> events_;
    ImVec2 pos_{-FLT_MAX, -FLT_MAX};
    bool down_[3] = {}; // the buttons as ImGui last saw them
};
