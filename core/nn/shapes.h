// Shape letters used in every comment of nn/, loss/ and kernels/ (docs/design.md, "Habits of the code"):
//   N  samples in a batch          I  inputs of a layer (features in)
//   O  outputs of a layer (units)  T  targets per sample
//   C  channels   H  height   W  width   K  kernel side   P  output positions (OH·OW)
// All buffers are row-major and batch-major: x [N, I] holds sample n's inputs at x[n*I .. n*I+I);
// an image sample is [C, H, W] flattened in that order (PyTorch's). Dense weights are [O, I], conv
// weights [O, C, K, K], biases [O]: PyTorch's layouts, so safetensors bytes map one to one.
#pragma once
#include <string>
#include <vector>

namespace liandan {

// The shape of one sample: [C, H, W]; a feature vector of F values is [F, 1, 1].
struct Shape {
    int c = 1, h = 1, w = 1;
    int size() const { return c * h * w; }
    bool is_image() const { return h > 1 || w > 1; }
    bool operator==(const Shape &o) const { return c == o.c && h == o.h && w == o.w; }
    std::string text() const { // appended: GCC 12 warns (-Wrestrict, falsely) on "[" + std::string
        std::string t = "[";
        t += std::to_string(c);
        if (is_image()) t.append(", ").append(std::to_string(h)).append(", ").append(std::to_string(w));
        return t += "]";
    }
};

inline Shape shape_of(const std::vector<int> &dims) {
    if (dims.size() == 3) return {dims[0], dims[1], dims[2]};
    return {dims.empty() ? 0 : dims[0], 1, 1};
}

} // namespace liandan
