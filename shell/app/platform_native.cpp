// Native: desktop OpenGL 3.0 (GLSL 130, runs on Mesa's software GL under Xvfb), a plain loop.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <malloc.h>

// ASan's allocator replaces malloc's, whose statistics then read zero. GCC says so with
// __SANITIZE_ADDRESS__; clang with __has_feature, which GCC 12's preprocessor cannot even parse
// beside another test on one line.
#if defined(__SANITIZE_ADDRESS__)
#define LIANDAN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIANDAN_ASAN 1
#endif
#endif
#ifndef LIANDAN_ASAN
#define LIANDAN_ASAN 0
#endif
#if LIANDAN_ASAN
#include <sanitizer/allocator_interface.h>
#endif

#include <SDL.h>

#include "app.h"
#include "i18n/tr.h"
#include "platform.h"

GlVersion platform_gl_version() { return {SDL_GL_CONTEXT_PROFILE_CORE, 3, 0, "#version 130"}; }

const char *platform_font_path() { return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"; }

const char *platform_cjk_font_path() { return "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"; }

void platform_init() {}

void platform_app_ready() {}

bool platform_fetch_data(int, const std::vector<std::string> &) { return false; }

bool platform_open_file_picker() { return false; }

void platform_idle() { SDL_WaitEventTimeout(nullptr, 16); }

void platform_drawing() {}

void platform_run(std::function<bool()> frame) {
    while (frame()) {
    }
}

bool platform_repeat_between_frames(std::function<bool()>) { return false; }

std::string platform_save_file(const std::string &name, const std::string &bytes, const char *) {
    std::ofstream out(name, std::ios::binary);
    if (!(out << bytes)) return msgf("{0}: cannot be written", {name});
    return "";
}

namespace {
std::filesystem::path data_folder() {
    const char *xdg = std::getenv("XDG_DATA_HOME"), *home = std::getenv("HOME");
    if (xdg && *xdg == '/') return std::filesystem::path(xdg) / "liandan";
    return std::filesystem::path(home && *home ? home : ".") / ".local/share/liandan";
}
std::filesystem::path kept_file() { return data_folder() / "experiment.safetensors"; }
} // namespace

std::string platform_kept_experiment_path() {
    std::error_code ec;
    return std::filesystem::exists(kept_file(), ec) ? kept_file().string() : "";
}

// Written beside and renamed over the kept file, so a crash mid-write leaves the previous one whole.
// Natively the data files stay where they are: the spec names their paths.
std::string platform_keep_experiment(const std::string &bytes, const std::vector<std::string> &) {
    std::error_code ec;
    std::filesystem::create_directories(data_folder(), ec);
    const std::filesystem::path partial = data_folder() / "experiment.safetensors.partial";
    {
        std::ofstream out(partial, std::ios::binary);
        if (!(out << bytes) || !out.flush()) return msgf("{0}: cannot be written", {partial.string()});
    }
    std::filesystem::rename(partial, kept_file(), ec);
    return ec ? kept_file().string() + ": " + ec.message() : "";
}

void platform_forget_experiment() {
    std::error_code ec;
    std::filesystem::remove(kept_file(), ec);
}

liandan::HostMemory platform_host_memory() { return {}; }

void platform_mirror_text_field(const TextFieldMirror &) {}

const char *platform_isolation() { return ""; }

void platform_request_catalog(const std::string &language) {
    extern App *g_app;
    auto read = [](const std::string &name) {
        std::ifstream in(std::string(LIANDAN_ASSETS_DIR) + "/i18n/" + name);
        std::stringstream text;
        text << in.rdbuf();
        return in ? text.str() : std::string();
    };
    g_app->catalog_arrived(language, read(language + ".json"), read("messages.json"));
}

std::string platform_share_link(const std::string &hash) {
    const std::string link = "#" + hash;
    if (SDL_SetClipboardText(link.c_str()) != 0) return std::string("the clipboard refused the link: ") + SDL_GetError();
    return "on the clipboard: add it to the page's address (" + std::to_string(link.size()) + " characters)";
}

double platform_heap_in_use_mb() {
#if LIANDAN_ASAN
    return double(__sanitizer_get_current_allocated_bytes()) / (1024.0 * 1024.0);
#else
    const struct mallinfo2 m = mallinfo2(); // allocations from the arenas and from mmap
    return double(m.uordblks + m.hblkhd) / (1024.0 * 1024.0);
#endif
}
