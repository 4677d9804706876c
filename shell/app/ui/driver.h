// The native UI driver: runs a small script that clicks controls by their labels (found through
// the widget locator) with real SDL mouse and key events, waits, takes screenshots and dumps the
// app's state, so tests under Xvfb use the app as a person would. One command line per action:
//   click LABEL | click-at LABEL FX FY (fractions of the widget) | clicks N LABEL (all in one frame)
//   drag LABEL FX0 FY0 FX1 FY1 (pressed at one point of the widget, moved to the other over frames, released)
//   key space|s|r | drop PATH (a file dropped on the window) | wait N (frames) | measure N PATH (frame times over N frames, as JSON)
//   memory PATH (appends a JSON line of the heap in use) | deadline SECONDS (the script ends then, as at quit)
//   wait-step N (until the model has taken N steps) | wait-idle (until training stopped) | wait-loaded (until every load is in force) | screenshot PATH | dump PATH | quit
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <SDL.h>

class App;

class Driver {
public:
    // Reads the script; "" or the error (file and line).
    std::string load(const std::string &path);
    // Before each frame's input: pushes the events of the current command. Returns false once
    // the script has ended or failed (error() says why).
    bool before_frame(SDL_Window *window, App &app);
    // After the frame is drawn (screenshots read the back buffer there).
    void after_frame(App &app, int width, int height);
    const std::string &error() const { return error_; }
    bool active() const { return !commands_.empty(); }

private:
    struct Command {
        std::string verb, arg;
        float fx = 0.5f, fy = 0.5f, fx1 = 0.5f, fy1 = 0.5f; // click-at's point; drag's start and end
        int n = 0, line = 0;
    };
    std::vector<Command> commands_;
    size_t next_ = 0;
    int phase_ = 0, waited_ = 0;
    int64_t frame_ = 0; // frames the script has run
    uint64_t deadline_ms_ = 0; // SDL ticks at which the script ends (0: none)
    bool shoot_ = false;
    std::vector<double> frame_ms_, build_ms_; // of the frames a measure command has seen
    int64_t measure_step_ = 0;
    uint64_t measure_start_ = 0;
    std::string error_, path_;
};
