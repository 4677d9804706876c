#include "screenshot.h"

#include <algorithm>
#include <vector>

#include <SDL_opengl.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

bool save_screenshot(const std::string &path, int width, int height) {
    std::vector<unsigned char> rgba(size_t(width) * height * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    // GL's rows start at the bottom; PNG's at the top.
    std::vector<unsigned char> flipped(rgba.size());
    const size_t row = size_t(width) * 4;
    for (int y = 0; y < height; ++y) std::copy_n(&rgba[size_t(height - 1 - y) * row], row, &flipped[size_t(y) * row]);
    return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), int(row)) != 0;
}
