// Raw rows to features, as make_dataset made the training rows (raw_rows.h).
#include "data/raw_rows.h"

#include "data/idx.h"
#include "data/toy.h"
#include "util/error.h"

namespace liandan {

std::vector<float> features_of_raw_file(const Dataset &data, const std::string &path, int &n) {
    const int F = data.n_features;
    std::vector<float> x;
    switch (data.raw_input) {
    case RawInput::plane_point: {
        const std::vector<float> points = read_csv_inputs(path, {{"x", {}}, {"y", {}}}, n);
        x.resize(size_t(n) * F);
        for (int r = 0; r < n; ++r) data.features_of_point(points[2 * size_t(r)], points[2 * size_t(r) + 1], &x[size_t(r) * F]);
        return x; // normalized already
    }
    case RawInput::columns: x = read_csv_inputs(path, data.input_columns, n); break;
    case RawInput::pixels: {
        IdxHeader h;
        const std::vector<uint8_t> pixels = read_idx(path, h);
        size_t per = 1;
        for (size_t d = 1; d < h.dims.size(); ++d) per *= size_t(h.dims[d]);
        if (h.dims.size() < 2 || per != size_t(F))
            throw Error(path, "holds images of " + std::to_string(per) + " values; the model takes " + std::to_string(F));
        n = h.dims[0];
        x.resize(pixels.size());
        for (size_t i = 0; i < pixels.size(); ++i) x[i] = pixels[i] / 255.0f;
        break;
    }
    }
    for (size_t i = 0; i < x.size(); ++i) {
        const size_t f = i % size_t(F);
        x[i] = (x[i] - data.feature_offset[f]) * data.feature_scale[f];
    }
    return x;
}

} // namespace liandan
