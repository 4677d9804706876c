// The driver's commands. A click is a move, a press and a release in three frames, as a person's
// at a usual frame rate; `clicks N` pushes N clicks into one frame, as at a slow one.
#include "ui/driver.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app.h"
#include "platform.h"
#include "screenshot.h"
#include "ui/widget_locator.h"

namespace {

// Frames a command waits for its widget to appear (after a click opened a popup, say).
constexpr int k_find_frames = 120;
constexpr int k_step_frames = 20000;

void push_mouse(SDL_Window *window, Uint32 type, int x, int y) {
    SDL_Event e{};
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.windowID = SDL_GetWindowID(window);
        e.motion.x = x, e.motion.y = y;
    } else {
        e.button.windowID = SDL_GetWindowID(window);
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x, e.button.y = y;
    }
    SDL_PushEvent(&e);
    SDL_WarpMouseInWindow(window, x, y); // ImGui's SDL backend also polls the global mouse position
}

} // namespace

std::string Driver::load(const std::string &path) {
    std::ifstream in(path);
    if (!in) return path + ": cannot be opened";
    path_ = path;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::istringstream s(line);
        Command c;
        c.line = n;
        if (!(s >> c.verb) || c.verb[0] == '#') continue;
        std::string rest;
        std::getline(s >> std::ws, rest);
        if (c.verb == "click-at" || c.verb == "drag") { // LABEL FX FY [FX1 FY1]: the label may hold spaces, the fractions end the line
            const size_t numbers = c.verb == "drag" ? 4 : 2;
            std::istringstream r(rest);
            std::vector<std::string> words;
            for (std::string w; r >> w;) words.push_back(w);
            if (words.size() < numbers + 1)
                return path + ":" + std::to_string(n) + (numbers == 4 ? ": drag needs LABEL FX0 FY0 FX1 FY1" : ": click-at needs LABEL FX FY");
            const size_t first = words.size() - numbers;
            c.fx = std::stof(words[first]);
            c.fy = std::stof(words[first + 1]);
            if (numbers == 4) c.fx1 = std::stof(words[first + 2]), c.fy1 = std::stof(words[first + 3]);
            for (size_t drop = 0; drop < numbers; ++drop) { // cut the numbers off the end
                while (!rest.empty() && rest.back() == ' ') rest.pop_back();
                rest.erase(rest.find_last_of(' ') == std::string::npos ? 0 : rest.find_last_of(' ') + 1);
            }
            while (!rest.empty() && rest.back() == ' ') rest.pop_back();
        }
        c.arg = rest;
        // "N REST": a count of at least `least`, then the rest of the line as the argument.
        auto count_then_arg = [&](int least) {
            std::istringstream r(rest);
            if (!(r >> c.n) || c.n < least) return false;
            std::getline(r >> std::ws, c.arg);
            return true;
        };
        if (c.verb == "clicks" && !count_then_arg(1)) return path + ":" + std::to_string(n) + ": clicks needs N LABEL";
        if (c.verb == "measure" && !count_then_arg(2))
            return path + ":" + std::to_string(n) + ": measure needs N (2 or more frames) PATH";
        if (c.verb == "wait" || c.verb == "wait-step" || c.verb == "deadline") c.n = std::atoi(rest.c_str());
        else if (c.verb != "wait-idle" && c.verb != "wait-loaded" && c.verb != "clicks" && c.verb != "measure" && c.verb != "click" && c.verb != "click-at" && c.verb != "drag" && c.verb != "key" && c.verb != "drop" && c.verb != "memory" && c.verb != "deadline" && c.verb != "screenshot" && c.verb != "dump" && c.verb != "quit")
            return path + ":" + std::to_string(n) + ": unknown command '" + c.verb + "'";
        commands_.push_back(c);
    }
    return "";
}

bool Driver::before_frame(SDL_Window *window, App &app) {
    if (!error_.empty() || next_ >= commands_.size()) return false;
    if (deadline_ms_ > 0 && SDL_GetTicks64() >= deadline_ms_) return false; // the script ends there, as at quit
    ++frame_;
    const Command &c = commands_[next_];
    auto done = [&] {
        ++next_;
        phase_ = waited_ = 0;
    };
    auto fail = [&](const std::string &why) { error_ = path_ + ":" + std::to_string(c.line) + ": " + why; };
    if (c.verb == "quit") return false;
    if (c.verb == "deadline") { // SECONDS: the script ends that long from now, wherever it is
        deadline_ms_ = SDL_GetTicks64() + uint64_t(std::max(0, c.n)) * 1000;
        done();
        return true;
    }
    if (c.verb == "wait") {
        if (++waited_ >= c.n) done();
    } else if (c.verb == "wait-step") {
        if (app.snapshot().metrics.step >= c.n) done();
        else if (++waited_ > k_step_frames) fail("the model did not reach step " + std::to_string(c.n));
    } else if (c.verb == "wait-loaded") { // every load and data fetch taken up, and a few frames drawn after it
        if (app.load_pending() || app.data_fetch()) waited_ = 0;
        else if (++waited_ > 3) done();
    } else if (c.verb == "wait-idle") { // trained and stopped (epochs done, target reached, paused or diverged)
        const liandan::Snapshot &snap = app.snapshot();
        if (snap.metrics.step > 0 && !snap.running && ++waited_ > 3) done(); // a few frames draw the final snapshot
        else if (snap.running && ++waited_ > k_step_frames) fail("training did not stop");
    } else if (c.verb == "key") {
        SDL_Keycode key = c.arg == "space" ? SDLK_SPACE : SDL_GetKeyFromName(c.arg.c_str());
        SDL_Event e{};
        e.type = phase_ == 0 ? SDL_KEYDOWN : SDL_KEYUP;
        e.key.windowID = SDL_GetWindowID(window);
        e.key.keysym.sym = key;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
        e.key.state = phase_ == 0 ? SDL_PRESSED : SDL_RELEASED;
        SDL_PushEvent(&e);
        if (++phase_ == 2) done();
    } else if (c.verb == "click" || c.verb == "click-at") {
        const WidgetRect *w = widget_locator_find(c.arg);
        if (!w) {
            if (++waited_ > k_find_frames) fail("no widget labelled '" + c.arg + "' is on screen");
            return error_.empty();
        }
        const int x = int(w->x + w->w * c.fx), y = int(w->y + w->h * c.fy);
        push_mouse(window, phase_ == 0 ? SDL_MOUSEMOTION : phase_ == 1 ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP, x, y);
        if (++phase_ == 3) done();
    } else if (c.verb == "drag") { // press at (fx, fy) of the widget, move to (fx1, fy1) over k_drag_steps frames, release
        constexpr int k_drag_steps = 12;
        const WidgetRect *w = widget_locator_find(c.arg);
        if (!w) {
            if (++waited_ > k_find_frames) fail("no widget labelled '" + c.arg + "' is on screen");
            return error_.empty();
        }
        const float t = std::clamp(float(phase_ - 1) / k_drag_steps, 0.0f, 1.0f);
        const int x = int(w->x + w->w * (c.fx + (c.fx1 - c.fx) * t)), y = int(w->y + w->h * (c.fy + (c.fy1 - c.fy) * t));
        push_mouse(window, phase_ == 0 ? SDL_MOUSEMOTION : phase_ == 1 ? SDL_MOUSEBUTTONDOWN : phase_ <= k_drag_steps + 1 ? SDL_MOUSEMOTION : SDL_MOUSEBUTTONUP, x, y);
        if (++phase_ == k_drag_steps + 3) done();
    } else if (c.verb == "memory") { // PATH: one JSON line of the heap in use (scripts/soak)
        std::ofstream out(c.arg, std::ios::app);
        out << nlohmann::json{{"frame", frame_}, {"step", app.snapshot().steps_now}, {"heap_used_mb", platform_heap_in_use_mb()}}.dump()
            << '\n';
        if (!out) fail("cannot write " + c.arg);
        done();
    } else if (c.verb == "drop") { // PATH: a file dropped on the window, as the desktop hands it over
        SDL_Event e{};
        e.type = SDL_DROPFILE;
        e.drop.windowID = SDL_GetWindowID(window);
        e.drop.file = SDL_strdup(c.arg.c_str()); // the app frees it, as it frees SDL's own
        SDL_PushEvent(&e);
        done();
    } else if (c.verb == "clicks") {
        const WidgetRect *w = widget_locator_find(c.arg);
        if (!w) {
            if (++waited_ > k_find_frames) fail("no widget labelled '" + c.arg + "' is on screen");
            return error_.empty();
        }
        const int x = int(w->x + w->w / 2), y = int(w->y + w->h / 2);
        push_mouse(window, SDL_MOUSEMOTION, x, y);
        for (int i = 0; i < c.n; ++i) {
            push_mouse(window, SDL_MOUSEBUTTONDOWN, x, y);
            push_mouse(window, SDL_MOUSEBUTTONUP, x, y);
        }
        done();
    } else if (c.verb == "measure") { // frame times over the next N frames (each frame reports the one before it)
        if (waited_++ == 0) {
            frame_ms_.clear();
            build_ms_.clear();
            measure_step_ = app.snapshot().steps_now;
            measure_start_ = SDL_GetPerformanceCounter();
            return true;
        }
        frame_ms_.push_back(app.frame_ms());
        build_ms_.push_back(app.build_ms());
        if (int(frame_ms_.size()) < c.n) return true;
        const double seconds = double(SDL_GetPerformanceCounter() - measure_start_) / double(SDL_GetPerformanceFrequency());
        auto quantile = [](std::vector<double> v, double q) {
            std::sort(v.begin(), v.end());
            return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
        };
        const nlohmann::json j = {{"frames", frame_ms_.size()},
                                  {"p50_ms", quantile(frame_ms_, 0.5)},
                                  {"p95_ms", quantile(frame_ms_, 0.95)},
                                  {"build_p50_ms", quantile(build_ms_, 0.5)},
                                  {"build_p95_ms", quantile(build_ms_, 0.95)},
                                  {"fps", double(frame_ms_.size()) / seconds},
                                  {"steps_per_s", double(app.snapshot().steps_now - measure_step_) / seconds},
                                  {"running", app.snapshot().running}};
        if (!(std::ofstream(c.arg) << j.dump())) fail("cannot write " + c.arg);
        done();
    } else if (c.verb == "screenshot") {
        shoot_ = true; // taken after this frame is drawn
    } else if (c.verb == "dump") {
        nlohmann::json widgets = nlohmann::json::array();
        for (const WidgetRect &w : widget_locator_widgets())
            widgets.push_back({{"label", w.label}, {"text", w.text}, {"window", w.window}, {"checked", w.checked},
                               {"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h}});
        const liandan::Snapshot &snap = app.snapshot();
        nlohmann::json columns = nlohmann::json::array();
        if (snap.inspection)
            for (const auto &col : snap.inspection->columns) columns.push_back({{"label", col.label}, {"units", col.units}});
        nlohmann::json j = app.views_json();
        j.update({{"metrics", app.metrics_json()}, {"spec", liandan::spec_to_json(app.spec())}, {"columns", columns},
                  {"message", app.message()}, {"files_message", app.data_files().message()}, {"widgets", widgets}});
        std::ofstream(c.arg) << j.dump(2);
        done();
    }
    return error_.empty();
}

void Driver::after_frame(App &, int width, int height) {
    if (!shoot_) return;
    shoot_ = false;
    const Command &c = commands_[next_];
    if (!save_screenshot(c.arg, width, height)) error_ = path_ + ":" + std::to_string(c.line) + ": cannot write " + c.arg;
    ++next_;
    phase_ = waited_ = 0;
}
