// Toy generators, transcribed from TensorFlow Playground's dataset.ts (Apache-2.0) with its
// constants; labels there are +1/-1, here 1/0 for classification.
#include "data/toy.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "util/rng.h"
#include "util/ui_text.h"

namespace liandan {
namespace {

constexpr double k_pi = 3.14159265358979323846;

const ToyInfo k_toys[] = {
    {"spiral", N_("Two spirals"), Task::classification, 2, false},
    {"circle", N_("A circle in a ring"), Task::classification, 2, false},
    {"xor", N_("Exclusive or"), Task::classification, 2, false},
    {"gauss", N_("Two Gaussian clouds"), Task::classification, 2, false},
    {"plane", N_("A tilted plane"), Task::regression, 0, false},
    {"multigauss", N_("Gaussian hills"), Task::regression, 0, false},
    {"moons", N_("Two moons"), Task::classification, 2, false},
    {"checkerboard", N_("Checkerboard"), Task::classification, 2, false},
    {"spirals", N_("Spiral arms"), Task::classification, 3, true},
    {"blobs", N_("Blobs"), Task::classification, 3, true},
};

struct Maker {
    ToyPoints &out;
    void add(double x, double y, double label) {
        out.xy.push_back(static_cast<float>(x));
        out.xy.push_back(static_cast<float>(y));
        out.label.push_back(static_cast<float>(label));
    }
};

void spiral(int n, double noise, Rng &rng, Maker m) {
    int half = n / 2;
    for (int cls = 0; cls < 2; ++cls) {
        double delta = cls == 1 ? 0.0 : k_pi;
        int count = cls == 1 ? half : n - half;
        for (int i = 0; i < count; ++i) {
            double r = double(i) / count * 5.0;
            double t = 1.75 * i / count * 2.0 * k_pi + delta;
            double x = r * std::sin(t) + rng.uniform(-1, 1) * noise;
            double y = r * std::cos(t) + rng.uniform(-1, 1) * noise;
            m.add(x, y, cls);
        }
    }
}

void circle(int n, double noise, Rng &rng, Maker m) {
    const double radius = 5.0;
    auto label = [&](double x, double y) { return std::sqrt(x * x + y * y) < radius * 0.5 ? 1.0 : 0.0; };
    for (int part = 0; part < 2; ++part) {
        int count = part == 0 ? n / 2 : n - n / 2;
        for (int i = 0; i < count; ++i) {
            double r = part == 0 ? rng.uniform(0, radius * 0.5) : rng.uniform(radius * 0.7, radius);
            double angle = rng.uniform(0, 2 * k_pi);
            double x = r * std::sin(angle), y = r * std::cos(angle);
            double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
            m.add(x, y, label(x + nx, y + ny));
        }
    }
}

void xor_set(int n, double noise, Rng &rng, Maker m) {
    const double padding = 0.3;
    for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-5, 5), y = rng.uniform(-5, 5);
        x += x > 0 ? padding : -padding;
        y += y > 0 ? padding : -padding;
        double nx = rng.uniform(-5, 5) * noise, ny = rng.uniform(-5, 5) * noise;
        m.add(x, y, (x + nx) * (y + ny) >= 0 ? 1.0 : 0.0);
    }
}

void gauss(int n, double noise, Rng &rng, Maker m) {
    double variance = 0.5 + (4.0 - 0.5) * (noise / 0.5); // Playground maps noise 0..0.5 to 0.5..4
    double sd = std::sqrt(variance);
    for (int part = 0; part < 2; ++part) {
        int count = part == 0 ? n / 2 : n - n / 2;
        double c = part == 0 ? 2.0 : -2.0;
        for (int i = 0; i < count; ++i) {
            double x = c + sd * rng.normal();
            double y = c + sd * rng.normal();
            m.add(x, y, part == 0 ? 1.0 : 0.0);
        }
    }
}

void plane(int n, double noise, Rng &rng, Maker m) {
    const double radius = 6.0;
    for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-radius, radius), y = rng.uniform(-radius, radius);
        double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
        m.add(x, y, (x + nx + y + ny) / 10.0); // Playground's labelScale [-10, 10] -> [-1, 1]
    }
}

void multigauss(int n, double noise, Rng &rng, Maker m) {
    const double radius = 6.0;
    const double g[6][3] = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
    auto label = [&](double x, double y) {
        double best = 0;
        for (auto &c : g) {
            double d = std::sqrt((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]));
            double scaled = std::clamp(1.0 - d / 2.0, 0.0, 1.0); // labelScale [0, 2] -> [1, 0], clamped
            double v = c[2] * scaled;
            if (std::abs(v) > std::abs(best)) best = v;
        }
        return best;
    };
    for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-radius, radius), y = rng.uniform(-radius, radius);
        double nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
        m.add(x, y, label(x + nx, y + ny));
    }
}

// scikit-learn's make_moons (Gaussian noise of sd `noise` in its unit coordinates), scaled by 3
// and centred so the two moons fill the plot.
void moons(int n, double noise, Rng &rng, Maker m) {
    int outer = n / 2;
    for (int i = 0; i < n; ++i) {
        bool top = i < outer;
        int count = top ? outer : n - outer, j = top ? i : i - outer;
        double t = count > 1 ? k_pi * j / (count - 1) : 0.0;
        double x = top ? std::cos(t) : 1 - std::cos(t), y = top ? std::sin(t) : 0.5 - std::sin(t);
        x += noise * rng.normal();
        y += noise * rng.normal();
        m.add((x - 0.5) * 3, (y - 0.25) * 3, top ? 0.0 : 1.0);
    }
}

// A 4 × 4 board of 3-unit squares; like xor, the label is read at a noisy copy of the point.
void checkerboard(int n, double noise, Rng &rng, Maker m) {
    for (int i = 0; i < n; ++i) {
        double x = rng.uniform(-6, 6), y = rng.uniform(-6, 6);
        double nx = x + rng.uniform(-3, 3) * noise, ny = y + rng.uniform(-3, 3) * noise;
        long cell = long(std::floor(nx / 3)) + long(std::floor(ny / 3));
        m.add(x, y, (cell % 2 + 2) % 2);
    }
}

// k interleaved spiral arms, each drawn like Playground's spiral and turned by 2π/k.
void spirals(int n, int k, double noise, Rng &rng, Maker m) {
    for (int c = 0; c < k; ++c) {
        int count = n / k + (c < n % k ? 1 : 0);
        for (int i = 0; i < count; ++i) {
            double r = double(i) / count * 5.0;
            double t = 1.75 * i / count * 2.0 * k_pi + 2.0 * k_pi * c / k;
            m.add(r * std::sin(t) + rng.uniform(-1, 1) * noise, r * std::cos(t) + rng.uniform(-1, 1) * noise, c);
        }
    }
}

// k Gaussian clusters on a circle of radius 3.5; noise widens them.
void blobs(int n, int k, double noise, Rng &rng, Maker m) {
    const double sd = 0.5 + 4.0 * noise;
    for (int c = 0; c < k; ++c) {
        int count = n / k + (c < n % k ? 1 : 0);
        double cx = 3.5 * std::cos(2 * k_pi * c / k), cy = 3.5 * std::sin(2 * k_pi * c / k);
        for (int i = 0; i < count; ++i) m.add(cx + sd * rng.normal(), cy + sd * rng.normal(), c);
    }
}

} // namespace

const std::vector<std::string> &toy_shape_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (auto &t : k_toys) v.push_back(t.name);
        return v;
    }();
    return names;
}

const ToyInfo &toy_info(const std::string &shape) {
    for (auto &t : k_toys)
        if (shape == t.name) return t;
    assert(false && "unknown toy shape; parse_spec refuses these");
    return k_toys[0];
}

ToyPoints make_toy(const ToySpec &spec) {
    ToyPoints pts;
    pts.xy.reserve(2 * size_t(spec.n));
    pts.label.reserve(spec.n);
    Rng rng(spec.seed, 0x70790001);
    Maker m{pts};
    const std::string &s = spec.shape;
    if (s == "spiral") spiral(spec.n, spec.noise, rng, m);
    else if (s == "circle") circle(spec.n, spec.noise, rng, m);
    else if (s == "xor") xor_set(spec.n, spec.noise, rng, m);
    else if (s == "gauss") gauss(spec.n, spec.noise, rng, m);
    else if (s == "plane") plane(spec.n, spec.noise, rng, m);
    else if (s == "multigauss") multigauss(spec.n, spec.noise, rng, m);
    else if (s == "moons") moons(spec.n, spec.noise, rng, m);
    else if (s == "checkerboard") checkerboard(spec.n, spec.noise, rng, m);
    else {
        const int k = spec.classes > 0 ? spec.classes : toy_info(s).classes;
        if (s == "spirals") spirals(spec.n, k, spec.noise, rng, m);
        else blobs(spec.n, k, spec.noise, rng, m);
    }

    // Shuffle points as Playground does, so the train/test split mixes both classes.
    std::vector<uint32_t> order(pts.label.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
    shuffle(order.data(), order.size(), rng);
    ToyPoints out;
    out.xy.resize(pts.xy.size());
    out.label.resize(pts.label.size());
    for (size_t i = 0; i < order.size(); ++i) {
        out.xy[2 * i] = pts.xy[2 * order[i]];
        out.xy[2 * i + 1] = pts.xy[2 * order[i] + 1];
        out.label[i] = pts.label[order[i]];
    }
    return out;
}

void toy_features(const std::vector<std::string> &features, float x, float y, float *out) {
    for (size_t i = 0; i < features.size(); ++i) {
        const std::string &f = features[i];
        float v = 0;
        if (f == "x") v = x;
        else if (f == "y") v = y;
        else if (f == "x2") v = x * x;
        else if (f == "y2") v = y * y;
        else if (f == "xy") v = x * y;
        else if (f == "sinx") v = std::sin(x);
        else if (f == "siny") v = std::sin(y);
        else if (f == "cosx") v = std::cos(x);
        else if (f == "cosy") v = std::cos(y);
        out[i] = v;
    }
}

std::span<const PlaneFeature> plane_features() {
    static constexpr PlaneFeature k_features[] = {
        {"x", "x", "X₁"},          {"y", "y", "X₂"},           {"x2", "xSquared", "X₁²"},    {"y2", "ySquared", "X₂²"},
        {"xy", "xTimesY", "X₁X₂"}, {"sinx", "sinX", "sin(X₁)"}, {"siny", "sinY", "sin(X₂)"}, {"cosx", "cosX", "cos(X₁)"},
        {"cosy", "cosY", "cos(X₂)"}};
    return k_features;
}

} // namespace liandan
