// Points editing for the workbench. Points live in the spec (data.points), so an edited set is
// saved, shared and reproduced like any experiment.
#include "edit/points.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "data/toy.h"
#include "edit/net_design.h"

namespace liandan {
namespace {
// From a file's columns to the plane: the file's features and input shape mean nothing there, nor
// do layers that are not a stack of dense ones (convolutions for images). Plane data keeps its own.
void leave_file_data(Spec &spec) {
    if (spec.data.source == DataSource::toy || spec.data.source == DataSource::points) return;
    const Spec fresh = default_spec();
    spec.data.features = fresh.data.features;
    spec.model.input.clear();
    if (!design_of(spec.model.layers)) spec.model.layers = fresh.model.layers;
}
} // namespace

bool make_points_source(Spec &spec, const Dataset &data) {
    if (spec.data.source == DataSource::points) return true;
    if (!data.toy) return false;
    std::vector<float> pts;
    for (const Split *s : {&data.train, &data.test})
        for (int i = 0; i < s->n; ++i) {
            pts.push_back(s->point[2 * i]);
            pts.push_back(s->point[2 * i + 1]);
            pts.push_back(s->y[i]);
        }
    spec.data.source = DataSource::points;
    spec.data.points = std::move(pts);
    spec.data.shuffle = true;
    return true;
}

void add_point(Spec &spec, float x, float y, float label) {
    spec.data.points.insert(spec.data.points.end(), {std::clamp(x, -k_toy_extent, k_toy_extent), std::clamp(y, -k_toy_extent, k_toy_extent), label});
}

int erase_points(Spec &spec, float x, float y, float radius) {
    auto &p = spec.data.points;
    std::vector<float> kept;
    int removed = 0;
    for (size_t i = 0; i + 2 < p.size(); i += 3) {
        const float dx = p[i] - x, dy = p[i + 1] - y;
        if (dx * dx + dy * dy <= radius * radius && p.size() / 3 - size_t(removed) > 4) {
            ++removed;
            continue;
        }
        kept.insert(kept.end(), {p[i], p[i + 1], p[i + 2]});
    }
    p = std::move(kept);
    return removed;
}

std::string points_csv(const Dataset &data) {
    std::string out = "x,y,label\n";
    char line[96];
    for (const Split *s : {&data.train, &data.test})
        for (int i = 0; i < s->n && !s->point.empty(); ++i) {
            std::snprintf(line, sizeof line, "%.6g,%.6g,%.6g\n", s->point[2 * i], s->point[2 * i + 1], s->y[i]);
            out += line;
        }
    return out;
}

void back_to_toy_data(Spec &spec) {
    if (spec.data.source == DataSource::toy) return;
    leave_file_data(spec);
    spec.data.source = DataSource::toy;
    spec.data.points.clear();
    fit_output_to_data(spec);
}

std::string load_points_csv(Spec &spec, const std::string &text, const std::string &origin) {
    std::istringstream in(text);
    std::string line;
    std::vector<float> pts;
    int line_no = 0;
    bool header = false;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (!header) { // the header row names the columns; its names are not checked
            header = true;
            continue;
        }
        float v[3];
        char rest = 0;
        if (std::sscanf(line.c_str(), " %f , %f , %f %c", &v[0], &v[1], &v[2], &rest) != 3)
            return origin + ":" + std::to_string(line_no) + ": expected three numbers x,y,label, found '" + line.substr(0, 60) + "'";
        for (int c = 0; c < 3; ++c)
            if (!std::isfinite(v[c])) return origin + ":" + std::to_string(line_no) + ": a value is not finite";
        if (std::fabs(v[0]) > k_toy_extent || std::fabs(v[1]) > k_toy_extent)
            return origin + ":" + std::to_string(line_no) + ": the point is outside the plane [-6, 6]";
        pts.insert(pts.end(), v, v + 3);
    }
    if (!header) return origin + ": is empty (expected a header row x,y,label and points)";
    if (pts.size() / 3 < 4) return origin + ": needs at least 4 points, has " + std::to_string(pts.size() / 3);
    leave_file_data(spec);
    spec.data.source = DataSource::points;
    spec.data.points = std::move(pts);
    spec.data.shuffle = true;
    fit_output_to_data(spec);
    return "";
}

} // namespace liandan
