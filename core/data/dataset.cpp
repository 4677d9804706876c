// Builds a Dataset from the spec: generate, optionally shuffle, split off the last rows as test,
// then normalize with statistics of the training split only.
#include "data/dataset.h"

#include <algorithm>
#include <cmath>

#include "data/toy.h"
#include "util/rng.h"

namespace liandan {

void Dataset::features_of_point(float x, float y, float *out) const {
    toy_features(features, x, y, out);
    for (int f = 0; f < n_features; ++f) out[f] = (out[f] - feature_offset[f]) * feature_scale[f];
}

Dataset make_dataset(const DataSpec &spec) {
    Dataset d;
    const ToyInfo &info = toy_info(spec.toy.shape);
    d.task = info.task;
    d.n_classes = info.classes;
    d.features = spec.features;
    d.n_features = static_cast<int>(spec.features.size());
    d.n_targets = 1;

    ToyPoints pts = make_toy(spec.toy);
    int n = static_cast<int>(pts.label.size());
    std::vector<uint32_t> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    if (spec.shuffle) {
        Rng rng(spec.toy.seed, 0xda7a5u);
        shuffle(order.data(), order.size(), rng);
    }
    int n_test = static_cast<int>(std::lround(n * spec.test_fraction));
    int n_train = n - n_test;
    const int F = d.n_features;
    auto fill = [&](Split &s, int begin, int end) {
        s.n = end - begin;
        s.x.resize(size_t(s.n) * F);
        s.y.resize(s.n);
        s.point.resize(size_t(s.n) * 2);
        for (int r = begin; r < end; ++r) {
            uint32_t i = order[r];
            float px = pts.xy[2 * i], py = pts.xy[2 * i + 1];
            toy_features(spec.features, px, py, &s.x[size_t(r - begin) * F]);
            s.y[r - begin] = pts.label[i];
            s.point[2 * (r - begin)] = px;
            s.point[2 * (r - begin) + 1] = py;
        }
    };
    fill(d.train, 0, n_train);
    fill(d.test, n_train, n);

    d.feature_offset.assign(F, 0.0f);
    d.feature_scale.assign(F, 1.0f);
    if (spec.normalize != "none" && d.train.n > 0) {
        for (int f = 0; f < F; ++f) {
            double lo = INFINITY, hi = -INFINITY, sum = 0, sum2 = 0;
            for (int r = 0; r < d.train.n; ++r) {
                double v = d.train.x[size_t(r) * F + f];
                lo = std::min(lo, v);
                hi = std::max(hi, v);
                sum += v;
            }
            double mean = sum / d.train.n;
            for (int r = 0; r < d.train.n; ++r) {
                double v = d.train.x[size_t(r) * F + f] - mean;
                sum2 += v * v;
            }
            double sd = std::sqrt(sum2 / d.train.n); // population std, as DESIGN.md says
            if (spec.normalize == "standard") {
                d.feature_offset[f] = static_cast<float>(mean);
                d.feature_scale[f] = sd > 0 ? static_cast<float>(1.0 / sd) : 1.0f; // constant column stays 0
            } else {
                d.feature_offset[f] = static_cast<float>(lo);
                d.feature_scale[f] = hi > lo ? static_cast<float>(1.0 / (hi - lo)) : 1.0f;
            }
        }
        for (Split *s : {&d.train, &d.test})
            for (int r = 0; r < s->n; ++r)
                for (int f = 0; f < F; ++f) {
                    float &v = s->x[size_t(r) * F + f];
                    v = (v - d.feature_offset[f]) * d.feature_scale[f];
                }
    }
    return d;
}

} // namespace liandan
