// GL side of a cached layer: a texture with its framebuffer, rendered by ImGui's own OpenGL
// backend from a draw list of its own, so the picture is made of exactly the triangles the
// window would have drawn, blended over the same background.
#include "ui/cached_layer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#define GL_GLEXT_PROTOTYPES
#include <SDL_opengl.h>
#include <imgui_impl_opengl3.h>

namespace {
// Layers filled this frame, rendered before the frame's draw. Never destroyed: layers live in
// other files' statics, whose destructors may run after this file's.
std::vector<CachedLayer *> &pending() {
    static auto *layers = new std::vector<CachedLayer *>;
    return *layers;
}
} // namespace

CachedLayer::~CachedLayer() {
    release();
    std::erase(pending(), this);
}

void CachedLayer::release() {
    if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
    if (texture_) glDeleteTextures(1, &texture_);
    framebuffer_ = texture_ = 0;
    texture_w_ = texture_h_ = 0;
    valid_ = false;
}

ImDrawList *CachedLayer::begin(ImRect rect, ImVec4 background, uint64_t key) {
    if (broken_) return ImGui::GetWindowDrawList(); // drawn straight into the window, every frame
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    // Out to whole framebuffer pixels, so the picture is shown pixel for pixel at any scale.
    rect.Min = ImVec2(std::floor(rect.Min.x * scale.x) / scale.x, std::floor(rect.Min.y * scale.y) / scale.y);
    rect.Max = ImVec2(std::ceil(rect.Max.x * scale.x) / scale.x, std::ceil(rect.Max.y * scale.y) / scale.y);
    const bool same = valid_ && key == key_ && rect.Min.x == rect_.Min.x && rect.Min.y == rect_.Min.y && rect.Max.x == rect_.Max.x &&
                      rect.Max.y == rect_.Max.y && scale.x == scale_.x && scale.y == scale_.y && background.x == background_.x &&
                      background.y == background_.y && background.z == background_.z && background.w == background_.w;
    if (same) return nullptr;
    rect_ = rect, background_ = background, scale_ = scale, key_ = key;
    valid_ = false; // until render() has drawn it
    if (!make_texture()) return broken_ ? ImGui::GetWindowDrawList() : nullptr;
    const ImDrawList *window = ImGui::GetWindowDrawList();
    if (!list_) list_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
    list_->_ResetForNewFrame();
    list_->Flags = window->Flags; // antialiasing as the window's own lines
    list_->_FringeScale = window->_FringeScale;
    list_->PushTextureID(ImGui::GetIO().Fonts->TexID);
    list_->PushClipRect(rect.Min, rect.Max);
    if (std::find(pending().begin(), pending().end(), this) == pending().end()) pending().push_back(this);
    return list_.get();
}

void CachedLayer::draw(ImDrawList *dl) const {
    if (broken_ || !texture_ || texture_w_ < 1) return;
    // A framebuffer's first row is the picture's bottom: the image is flipped back.
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture_)), rect_.Min, rect_.Max, {0, 1}, {1, 0});
}

bool CachedLayer::make_texture() {
    // The size ImGui's backend gives its viewport for this draw data (it truncates the same way).
    const int w = int(rect_.GetWidth() * scale_.x), h = int(rect_.GetHeight() * scale_.y);
    if (w < 1 || h < 1) return false;
    if (texture_ && w == texture_w_ && h == texture_h_) return true;
    GLint last_texture = 0, last_framebuffer = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &last_framebuffer);
    if (!texture_) {
        glGenTextures(1, &texture_);
        glBindTexture(GL_TEXTURE_2D, texture_);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST); // shown pixel for pixel
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glGenFramebuffers(1, &framebuffer_);
    }
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
    // A GL that cannot render into this texture gets the layer drawn straight, as before.
    broken_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(last_framebuffer));
    glBindTexture(GL_TEXTURE_2D, GLuint(last_texture));
    if (broken_) release();
    texture_w_ = broken_ ? 0 : w, texture_h_ = broken_ ? 0 : h;
    return !broken_;
}

void CachedLayer::render_pending() {
    for (CachedLayer *layer : pending()) layer->render();
    pending().clear();
}

void CachedLayer::render() {
    if (broken_ || !texture_ || !list_) return;
    GLint last_framebuffer = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &last_framebuffer);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, texture_w_, texture_h_);
    glClearColor(background_.x, background_.y, background_.z, background_.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImDrawList *lists[] = {list_.get()};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.TotalVtxCount = list_->VtxBuffer.Size;
    data.TotalIdxCount = list_->IdxBuffer.Size;
    data.DisplayPos = rect_.Min;
    data.DisplaySize = rect_.GetSize();
    data.FramebufferScale = scale_;
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(last_framebuffer));
    ++pictures_;
    valid_ = true;
}
