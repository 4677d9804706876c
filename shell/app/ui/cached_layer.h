// A layer of a view drawn once into a texture and shown as one image while it stays the same.
// The network's weight lines are a few thousand antialiased lines: under a software renderer
// (Chromium's SwiftShader without a GPU, llvmpipe natively) they took about half of every frame
// drawn, and nearly every frame (the pointer moving, a tooltip, a hover) drew them unchanged.
#pragma once
#include <cstdint>
#include <memory>

#include <imgui.h>
#include <imgui_internal.h>

class CachedLayer {
public:
    CachedLayer() = default;
    ~CachedLayer();
    CachedLayer(const CachedLayer &) = delete;
    CachedLayer &operator=(const CachedLayer &) = delete;

    // The draw list to fill when the picture must be made again: the rect (screen coordinates,
    // rounded out to whole pixels), the background or `key` (a hash of everything to be drawn)
    // differ from the picture held; nullptr when the picture still holds. Where GL cannot render
    // into a texture, the window's own draw list, every frame. The picture is opaque:
    // the background fills it, so nothing drawn before the layer shows through its rect.
    ImDrawList *begin(ImRect rect, ImVec4 background, uint64_t key);
    // Puts the picture into dl: one image over the rect, made this frame or kept.
    void draw(ImDrawList *dl) const;
    // Frees the GL objects now (before the GL context goes); the next frame makes the picture again.
    void release();
    // Pictures made since the start: tests check that frames which change nothing make none.
    uint64_t pictures() const { return pictures_; }

    // Renders the pictures filled this frame into their textures. Call between ImGui::Render and
    // the frame's own draw, with the frame's GL context current.
    static void render_pending();

private:
    bool make_texture(); // sized to the rect; false when there is nothing to draw or GL cannot
    void render();

    std::unique_ptr<ImDrawList> list_;
    ImRect rect_;
    ImVec4 background_{0, 0, 0, 0};
    ImVec2 scale_{1, 1}; // the framebuffer's pixels per point when the picture was made
    uint64_t key_ = 0, pictures_ = 0;
    bool valid_ = false;
    bool broken_ = false; // no framebuffer for the texture: the layer is drawn straight, uncached
    unsigned texture_ = 0, framebuffer_ = 0;
    int texture_w_ = 0, texture_h_ = 0;
};
