// Many small heatmaps in one GL texture: the views fill tiles of RGBA pixels once per new snapshot
// and draw each tile as one textured quad, so hundreds of neuron maps cost a few draw calls.
#pragma once
#include <cstdint>
#include <vector>

#include <imgui.h>

class HeatmapAtlas {
public:
    HeatmapAtlas() = default;
    ~HeatmapAtlas();
    HeatmapAtlas(const HeatmapAtlas &) = delete;
    HeatmapAtlas &operator=(const HeatmapAtlas &) = delete;

    // Lays out count tiles of side × side pixels (keeps the pixels when the layout is unchanged).
    void reshape(int side, int count);
    // Copies side × side RGBA pixels (ImU32, row 0 at the top) into tile i.
    void set_tile(int i, const uint32_t *pixels);
    void upload(); // sends the pixels to the GPU; call after setting tiles
    // Draws tile i stretched over [a, b].
    void draw(ImDrawList *dl, int i, ImVec2 a, ImVec2 b) const;
    int count() const { return count_; }
    // Frees the GL texture now (before the GL context goes); the pixels stay, uploaded again on use.
    void release();
    int side() const { return side_; }

private:
    int side_ = 0, count_ = 0, per_row_ = 0, width_ = 0, height_ = 0;
    std::vector<uint32_t> pixels_; // [height_, width_]
    unsigned texture_ = 0, texture_w_ = 0, texture_h_ = 0;
};
