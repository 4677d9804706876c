// What differs between the native and the web app, and nothing else: the GL flavour, the font's
// path, who drives the frame loop, how a data file is picked and how much memory a run may take. platform_native.cpp /
// platform_web.cpp implement it.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "util/memory_limit.h"

struct GlVersion {
    int profile; // SDL_GL_CONTEXT_PROFILE_*
    int major, minor;
    const char *glsl; // for ImGui_ImplOpenGL3_Init
};

// Once, before anything else: the page's data root is /data in its file system.
void platform_init();
GlVersion platform_gl_version();
const char *platform_font_path();
const char *platform_cjk_font_path(); // the Chinese glyphs, merged into the interface's font
// Tells the host the app is ready for calls (the page's window.liandan); nothing natively.
void platform_app_ready();
// Opens the page's file picker (web; returns true) or does nothing (native; returns false, and
// the app shows a path field instead: Debian has no file dialog library worth adding).
bool platform_open_file_picker();
// A frame with nothing to draw: natively waits up to a frame's time for an event (no busy loop).
// On the web the next frame callbacks come from a timer until platform_drawing: the browser makes
// no frames while nothing is drawn (a frame asked for and not drawn still costs it a tenth of a
// core at 60 Hz, taken from training on a 2-core machine).
void platform_idle();
// A frame to draw: on the web the frame callbacks come with the browser's frames again; nothing
// natively.
void platform_drawing();
// Calls frame() until it returns false (native), or forever from the browser's animation frames
// (or a timer, after platform_idle).
void platform_run(std::function<bool()> frame);
// Calls task again and again in tasks of its own between the browser's frames (after the input and
// frame callbacks waiting) until it returns false, and returns true (web); natively returns false
// and never calls it. One such loop at a time.
bool platform_repeat_between_frames(std::function<bool()> task);
// Saves bytes under a file name: natively into that path, on the web as a download. "" or the error.
std::string platform_save_file(const std::string &name, const std::string &bytes, const char *mime = "application/octet-stream");

// The experiment kept between visits (train/experiment_file.h): the page's IndexedDB, natively a
// file in the user's data folder ($XDG_DATA_HOME/liandan, else ~/.local/share/liandan).
// The kept file's path at start ("" when there is none): the page writes it into its file
// system before main() from IndexedDB, with the uploaded data files the experiment uses.
std::string platform_kept_experiment_path();
// Keeps the bytes, with the uploaded files (/uploads/...) the experiment reads; "" or why it could
// not (the page's storage failures come later, through App::storage_failed).
std::string platform_keep_experiment(const std::string &bytes, const std::vector<std::string> &uploads);
void platform_forget_experiment(); // "New experiment": nothing kept until the new one is
// How the page is cross-origin isolated, which decides its build: "headers", "service worker"
// (web/sw.js) or "none"; natively "".
const char *platform_isolation();
// Hands a link (a URL hash, without '#') to the user: the page puts it in the address bar,
// natively it goes to the clipboard. Returns where it went, for the status bar.
std::string platform_share_link(const std::string &hash);
// The interface's translations (assets/i18n/<language>.json): natively read at once and passed
// to App::catalog_arrived; the page fetches them and passes them later.
void platform_request_catalog(const std::string &language);
// Memory the app's allocations hold now, in MB (the soak test's figure; the page's wasm heap).
double platform_heap_in_use_mb();
// What the host can still give a new run: the page's wasm heap (fixed, or capped where it grows);
// natively nothing beyond the spec's limits.memory_mb.
liandan::HostMemory platform_host_memory();
// Starts fetching data files into the data root (paths relative to it): the page fetches them from
// data/ on its server, through its cache, and reports to App::data_fetch_progress / data_fetched.
// Returns false where there is nothing to fetch (natively scripts/fetch-data put them there).
bool platform_fetch_data(int id, const std::vector<std::string> &files);

// The text field a finger made active, for a phone's or tablet's keyboard (ui/screen_keyboard.h).
struct TextFieldMirror {
    bool active = false;  // false: no such field (the keyboard goes)
    bool numeric = false; // a number: the keyboard offers digits
    std::string text;     // UTF-8
    int select_start = 0, select_end = 0; // UTF-16 units; equal: the cursor
    float x = 0, y = 0;   // where the finger pressed, in the window's coordinates
    bool operator==(const TextFieldMirror &) const = default;
};
// The page focuses a hidden text input holding the field's copy (web/screen-keyboard.js), or lets
// it go; natively nothing (SDL shows no keyboard on a desktop's touch screen).
void platform_mirror_text_field(const TextFieldMirror &field);
