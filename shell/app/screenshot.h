// Writes the current GL framebuffer to a PNG (for tests and the README's pictures).
#pragma once
#include <string>

bool save_screenshot(const std::string &path, int width, int height);
