// Web: WebGL2 (OpenGL ES 3.0), the font preloaded into the virtual file system, and frames
// driven by the browser through emscripten_set_main_loop.
#include <string>

#include <SDL.h>
#include <emscripten.h>

#include "platform.h"

GlVersion platform_gl_version() { return {SDL_GL_CONTEXT_PROFILE_ES, 3, 0, "#version 300 es"}; }

const char *platform_font_path() { return "/fonts/DejaVuSans.ttf"; }

namespace {
std::function<bool()> g_frame; // lives for the page's lifetime: main never returns on the web
void call_frame() { g_frame(); }
} // namespace

void platform_app_ready() {
    EM_ASM(if (Module.onAppReady) Module.onAppReady(););
}

bool platform_open_file_picker() {
    // The page's <input type=file>.click() needs a user activation: this runs a frame or two after
    // the click or key press that asked for it, well inside Chromium's few seconds of activation.
    return EM_ASM_INT(return Module.openFilePicker ? (Module.openFilePicker(), 1) : 0;) != 0;
}

void platform_run(std::function<bool()> frame) {
    g_frame = std::move(frame);
    emscripten_set_main_loop(call_frame, 0, true); // 0 = requestAnimationFrame's rate
}

std::string platform_save_text_file(const std::string &name, const std::string &text) {
    // A download of a Blob, the browser's way to save a file the page made.
    EM_ASM(
        {
            const blob = new Blob([UTF8ToString($1)], {type : 'text/csv'});
            const a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = UTF8ToString($0).split('/').pop();
            document.body.appendChild(a);
            a.click();
            setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
        },
        name.c_str(), text.c_str());
    return "";
}
