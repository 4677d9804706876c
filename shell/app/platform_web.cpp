// Web: WebGL2 (OpenGL ES 3.0), the font preloaded into the virtual file system, and frames
// driven by the browser through emscripten_set_main_loop.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/heap.h>
#include <malloc.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "platform.h"

GlVersion platform_gl_version() { return {SDL_GL_CONTEXT_PROFILE_ES, 3, 0, "#version 300 es"}; }

const char *platform_font_path() { return "/fonts/ui.ttf"; }

const char *platform_cjk_font_path() { return "/fonts/cjk.ttf"; }

namespace {
std::function<bool()> g_frame; // lives for the page's lifetime: main never returns on the web
void call_frame() { g_frame(); }
std::function<bool()> g_between_frames;
EM_BOOL call_between_frames(void *) { return g_between_frames() ? EM_TRUE : EM_FALSE; }
} // namespace

void platform_init() {
    setenv("LIANDAN_DATA", "/data", 1); // where fetched sets are written (web/data-fetch.js)
}

bool platform_fetch_data(int id, const std::vector<std::string> &files) {
    const std::string list = nlohmann::json(files).dump();
    EM_ASM({ Module.fetchData($0, JSON.parse(UTF8ToString($1))); }, id, list.c_str());
    return true;
}

void platform_app_ready() {
    EM_ASM(if (Module.onAppReady) Module.onAppReady(););
}

bool platform_open_file_picker() {
    // The page's <input type=file>.click() needs a user activation: this runs a frame or two after
    // the click or key press that asked for it, well inside Chromium's few seconds of activation.
    return EM_ASM_INT(return Module.openFilePicker ? (Module.openFilePicker(), 1) : 0;) != 0;
}

namespace {
// The frame callbacks' source: the browser's animation frames (requestAnimationFrame), or while
// nothing is drawn a timer as often, which asks the browser for no frames. A pointer event still
// reaches the app within a frame's time, and its frame is drawn in that callback.
constexpr int k_idle_callback_ms = 16;
void callbacks_from(int mode, int value) {
    int now = -1;
    emscripten_get_main_loop_timing(&now, nullptr);
    if (now != mode) emscripten_set_main_loop_timing(mode, value);
}
} // namespace

void platform_idle() { callbacks_from(EM_TIMING_SETTIMEOUT, k_idle_callback_ms); }

void platform_drawing() { callbacks_from(EM_TIMING_RAF, 1); }

void platform_run(std::function<bool()> frame) {
    g_frame = std::move(frame);
    emscripten_set_main_loop(call_frame, 0, true); // 0 = requestAnimationFrame's rate
}

bool platform_repeat_between_frames(std::function<bool()> task) {
    g_between_frames = std::move(task);
    // A message the page posts to itself: its task runs after the frame callbacks and input already
    // waiting, and unlike a timeout's it is not held back to 4 ms once nested.
    emscripten_set_immediate_loop(call_between_frames, nullptr);
    return true;
}

std::string platform_save_file(const std::string &name, const std::string &bytes, const char *mime) {
    // A download of a Blob, the browser's way to save a file the page made (web/liandan.js).
    EM_ASM({ Module.download(UTF8ToString($0), HEAPU8.slice($1, $1 + $2), UTF8ToString($3)); }, name.c_str(), bytes.data(),
           bytes.size(), mime);
    return "";
}

const char *platform_isolation() {
    static const int how = EM_ASM_INT(return Module.isolation == 'headers' ? 1 : Module.isolation == 'service worker' ? 2 : 0;);
    return how == 1 ? "headers" : how == 2 ? "service worker" : "none";
}

void platform_request_catalog(const std::string &language) {
    EM_ASM({ Module.fetchCatalog(UTF8ToString($0)); }, language.c_str());
}

std::string platform_share_link(const std::string &hash) {
    EM_ASM({ history.replaceState(null, '', '#' + UTF8ToString($0)); }, hash.c_str());
    return "in the address bar: copy it to share (" + std::to_string(hash.size() + 1) + " characters)";
}

std::string platform_kept_experiment_path() {
    return EM_ASM_INT(return Module.keptExperiment ? 1 : 0;) ? "/kept/experiment.safetensors" : "";
}

std::string platform_keep_experiment(const std::string &bytes, const std::vector<std::string> &uploads) {
    // A copy the page puts into IndexedDB off the frame (slice: the heap may be shared memory,
    // which IndexedDB does not take).
    const std::string list = nlohmann::json(uploads).dump();
    EM_ASM({ Module.keepExperiment(HEAPU8.slice($0, $0 + $1), JSON.parse(UTF8ToString($2))); }, bytes.data(), bytes.size(), list.c_str());
    return "";
}

void platform_forget_experiment() { EM_ASM(Module.forgetExperiment();); }

void platform_mirror_text_field(const TextFieldMirror &f) {
    EM_ASM({ if (Module.mirrorTextField) Module.mirrorTextField({active: !!$0, numeric: !!$1, text: UTF8ToString($2), start: $3, end: $4, x: $5, y: $6}); },
           f.active, f.numeric, f.text.c_str(), f.select_start, f.select_end, f.x, f.y);
}

namespace {
constexpr double k_mb = 1024.0 * 1024.0;
}

// Everything below the heap's top (static data, stacks, allocations) but dlmalloc's free blocks.
double platform_heap_in_use_mb() {
    const struct mallinfo m = mallinfo();
    return (double(reinterpret_cast<uintptr_t>(sbrk(0))) - double(m.fordblks)) / k_mb;
}

liandan::HostMemory platform_host_memory() {
    // Kept back for what a run's estimate leaves out: frames, snapshots and their maps, the UI,
    // a file being read. Past the heap's end malloc aborts the whole page, so this errs wide.
    constexpr double k_reserve_mb = 64;
    const double heap_max = double(emscripten_get_heap_max()) / k_mb;
    return {std::max(1.0, heap_max - platform_heap_in_use_mb() - k_reserve_mb), "the page's free memory",
            "its wasm heap holds at most " + std::to_string(int(heap_max)) + " MB"};
}
