// GL side of the heatmap atlas. Tiles are padded by one pixel that repeats their edge, so linear
// filtering never bleeds a neighbour's colour into a map.
#include "ui/heatmap_atlas.h"

#include <algorithm>

#include <SDL_opengl.h>

void HeatmapAtlas::release() {
    if (texture_) glDeleteTextures(1, &texture_);
    texture_ = 0, texture_w_ = 0, texture_h_ = 0;
}

HeatmapAtlas::~HeatmapAtlas() {
    if (texture_) glDeleteTextures(1, &texture_);
}

void HeatmapAtlas::reshape(int side, int count) {
    if (side == side_ && count == count_) return;
    side_ = side;
    count_ = count;
    const int cell = side + 2;
    per_row_ = std::max(1, 2048 / cell);
    width_ = std::min(count, per_row_) * cell;
    height_ = std::max(1, (count + per_row_ - 1) / per_row_) * cell;
    pixels_.assign(size_t(width_) * height_, 0);
}

void HeatmapAtlas::set_tile(int i, const uint32_t *src) {
    if (i < 0 || i >= count_) return;
    const int cell = side_ + 2, x0 = (i % per_row_) * cell, y0 = (i / per_row_) * cell;
    for (int y = -1; y <= side_; ++y) {
        const uint32_t *row = src + size_t(std::clamp(y, 0, side_ - 1)) * side_;
        uint32_t *dst = &pixels_[size_t(y0 + 1 + y) * width_ + x0];
        dst[0] = row[0];
        std::copy_n(row, side_, dst + 1);
        dst[side_ + 1] = row[side_ - 1];
    }
}

void HeatmapAtlas::upload() {
    if (count_ == 0) return;
    if (!texture_) {
        glGenTextures(1, &texture_);
        glBindTexture(GL_TEXTURE_2D, texture_);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    glBindTexture(GL_TEXTURE_2D, texture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (unsigned(width_) != texture_w_ || unsigned(height_) != texture_h_) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width_, height_, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
        texture_w_ = unsigned(width_);
        texture_h_ = unsigned(height_);
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
    }
}

void HeatmapAtlas::draw(ImDrawList *dl, int i, ImVec2 a, ImVec2 b) const {
    if (!texture_ || i < 0 || i >= count_) return;
    const int cell = side_ + 2;
    const float x0 = float((i % per_row_) * cell + 1), y0 = float((i / per_row_) * cell + 1);
    const ImVec2 uv0{x0 / float(texture_w_), y0 / float(texture_h_)};
    const ImVec2 uv1{(x0 + float(side_)) / float(texture_w_), (y0 + float(side_)) / float(texture_h_)};
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture_)), a, b, uv0, uv1);
}
