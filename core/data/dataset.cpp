// Builds a Dataset from the spec: read or generate rows, optionally shuffle, split off the last
// rows as test (or take the set's own test files), then normalize with training statistics only.
#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "data/catalog.h"
#include "data/csv.h"
#include "data/idx.h"
#include "data/toy.h"
#include "util/error.h"
#include "util/rng.h"

namespace liandan {
namespace {

// All rows before the split; test rows (when the set has its own) follow the training rows.
struct Rows {
    std::vector<float> x, y, point;
    int n = 0, n_official_test = 0;
};

double file_megabytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error(path, "cannot be opened");
    return double(in.tellg()) / (1024.0 * 1024.0);
}

void check_fits(double mb, const MemoryLimit &limit, const std::string &what) {
    if (mb > limit.mb) throw Error("limits.memory_mb", what + " needs about " + std::to_string(int(std::ceil(mb))) + " MB, " + limit.over());
}

// Images and labels of one IDX pair, appended to rows; images scaled to 0..1.
void append_idx(Rows &rows, Dataset &d, const std::string &images, const std::string &labels, int limit) {
    IdxHeader ih = read_idx_header(images), lh = read_idx_header(labels);
    if (lh.dims.size() != 1) throw Error(labels, "is not a label file (it has " + std::to_string(lh.dims.size()) + " dimensions)");
    if (ih.dims[0] != lh.dims[0])
        throw Error(labels, "has " + std::to_string(lh.dims[0]) + " labels but " + images + " has " + std::to_string(ih.dims[0]) + " images");
    int n = limit > 0 ? std::min(limit, ih.dims[0]) : ih.dims[0];
    std::vector<int> shape(ih.dims.begin() + 1, ih.dims.end());
    if (shape.size() == 2) shape.insert(shape.begin(), 1); // [H, W] -> [1, H, W]
    if (shape.empty()) shape = {1};
    size_t F = 1;
    for (int s : shape) F *= size_t(s);
    if (!d.sample_shape.empty() && d.sample_shape != shape)
        throw Error(images, "holds samples of another shape than the training images");
    d.sample_shape = shape;
    IdxHeader h;
    std::vector<uint8_t> pixels = read_idx(images, h, n), label_bytes = read_idx(labels, h, n);
    rows.x.reserve(rows.x.size() + size_t(n) * F); // a no-op when make_dataset reserved for both files
    for (size_t i = 0; i < size_t(n) * F; ++i) rows.x.push_back(pixels[i] / 255.0f);
    for (int i = 0; i < n; ++i) {
        rows.y.push_back(label_bytes[i]);
        d.n_classes = std::max(d.n_classes, int(label_bytes[i]) + 1);
    }
    rows.n += n;
}

// Leaves out the rarer class's later training rows until it makes `share` of them (two classes).
void keep_minority_share(Dataset &d, double share) {
    if (d.task != Task::classification || d.n_classes != 2) throw Error("data.minority_share", "is for data with two classes");
    int count[2] = {0, 0};
    for (float y : d.train.y) ++count[y > 0.5f ? 1 : 0];
    const int rare = count[1] < count[0] ? 1 : 0, common = count[1 - rare];
    const int keep = int(std::floor(share / (1 - share) * common));
    if (keep >= count[rare]) return; // rarer than that already
    if (keep < 1) throw Error("data.minority_share", "leaves no training row of the rarer class");
    const int F = d.n_features;
    Split out;
    int kept = 0;
    for (int r = 0; r < d.train.n; ++r) {
        const int c = d.train.y[size_t(r)] > 0.5f ? 1 : 0;
        if (c == rare && kept++ >= keep) continue;
        out.x.insert(out.x.end(), d.train.x.begin() + std::ptrdiff_t(size_t(r) * F), d.train.x.begin() + std::ptrdiff_t(size_t(r + 1) * F));
        out.y.push_back(d.train.y[size_t(r)]);
        if (!d.train.point.empty()) out.point.insert(out.point.end(), {d.train.point[2 * size_t(r)], d.train.point[2 * size_t(r) + 1]});
        ++out.n;
    }
    d.train = std::move(out);
}

// Step 1: every row before the split, from the generator, the points, the CSV or the IDX pair;
// sets what the data says of itself (task, classes, names, sample shape) in d.
Rows read_rows(const DataSpec &spec, DataSource named_source, LossType loss, const MemoryLimit &memory_mb, Dataset &d) {
    Rows rows;
    switch (spec.source) {
    case DataSource::toy: {
        const ToyInfo &info = toy_info(spec.toy.shape);
        d.toy = true;
        d.raw_input = RawInput::plane_point;
        d.task = info.task;
        d.n_classes = info.task == Task::classification ? spec.toy.classes : 0;
        d.feature_names = spec.features;
        d.sample_shape = {int(spec.features.size())};
        for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
        ToyPoints pts = make_toy(spec.toy);
        rows.n = int(pts.label.size());
        const size_t F = spec.features.size();
        rows.x.resize(size_t(rows.n) * F);
        for (int i = 0; i < rows.n; ++i) toy_features(spec.features, pts.xy[2 * i], pts.xy[2 * i + 1], &rows.x[i * F]);
        rows.y = std::move(pts.label);
        rows.point = std::move(pts.xy);
        break;
    }
    case DataSource::points: { // drawn in the workbench: plane points with the toy features
        d.toy = true;
        d.raw_input = RawInput::plane_point;
        d.task = loss == LossType::mse ? Task::regression : Task::classification;
        d.feature_names = spec.features;
        d.sample_shape = {int(spec.features.size())};
        rows.n = int(spec.points.size() / 3);
        const size_t F = spec.features.size();
        rows.x.resize(size_t(rows.n) * F);
        d.n_classes = d.task == Task::classification ? 2 : 0;
        for (int i = 0; i < rows.n; ++i) {
            const float x = spec.points[3 * i], y = spec.points[3 * i + 1], label = spec.points[3 * i + 2];
            if (d.task == Task::classification) {
                if (label < 0 || label > 15 || label != std::floor(label))
                    throw Error("data.points[" + std::to_string(i) + "][2]",
                                "a class label must be a whole number from 0 to 15 (or use loss mse for values)");
                d.n_classes = std::max(d.n_classes, int(label) + 1);
            }
            toy_features(spec.features, x, y, &rows.x[i * F]);
            rows.y.push_back(label);
            rows.point.push_back(x);
            rows.point.push_back(y);
        }
        for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
        break;
    }
    case DataSource::csv: {
        DataSpec resolved = spec;
        resolved.path = expand_path(spec.path);
        check_fits(file_megabytes(resolved.path) * 2, memory_mb, resolved.path);
        const bool classification = loss != LossType::mse;
        CsvData csv = read_csv_dataset(resolved, classification);
        d.task = classification ? Task::classification : Task::regression;
        d.n_classes = int(csv.class_names.size());
        d.class_names = csv.class_names;
        d.feature_names = csv.feature_names;
        d.input_columns = csv.columns;
        d.sample_shape = {int(csv.feature_names.size())};
        rows.n = csv.n;
        rows.x = std::move(csv.x);
        rows.y = std::move(csv.y);
        break;
    }
    case DataSource::idx: {
        const std::string images = expand_path(spec.images), labels = expand_path(spec.labels);
        const std::string test_images = expand_path(spec.test_images), test_labels = expand_path(spec.test_labels);
        d.task = Task::classification;
        d.raw_input = RawInput::pixels;
        d.n_classes = 0;
        // Memory first, for both files: the rows as floats, plus a copy of them when shuffled (in
        // file order the training rows are taken over, and only the test rows are copied). The
        // buffer is reserved for both at once, since growing it would hold two copies for a while.
        size_t values = 0, test_values = 0;
        for (const std::string *file : {&images, &test_images}) {
            if (file->empty()) continue;
            const IdxHeader h = read_idx_header(*file);
            size_t n = size_t(spec.limit > 0 ? std::min(spec.limit, h.dims[0]) : h.dims[0]), per_row = 1;
            for (size_t k = 1; k < h.dims.size(); ++k) per_row *= size_t(h.dims[k]);
            values += n * per_row;
            if (file == &test_images) test_values = n * per_row;
        }
        check_fits(4.0 * double(values + (spec.shuffle ? values : test_values)) / (1024.0 * 1024.0), memory_mb, images);
        rows.x.reserve(values);
        append_idx(rows, d, images, labels, spec.limit);
        if (!test_images.empty()) {
            int n_train = rows.n;
            append_idx(rows, d, test_images, test_labels, spec.limit);
            rows.n_official_test = rows.n - n_train;
        }
        for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
        if (named_source == DataSource::fashion_mnist)
            d.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        break;
    }
    case DataSource::mnist: // resolved to idx or csv above
    case DataSource::fashion_mnist:
    case DataSource::iris:
    case DataSource::breast_cancer:
    case DataSource::boston_housing: throw Error("data.source", "a named set left unresolved");
    }
    return rows;
}

// Step 2: the rows in their order (file order, or shuffled among the training rows and among the
// test rows) split into train and test; the training rows in file order are taken over, not copied.
void split_rows(const DataSpec &spec, Rows &rows, Dataset &d) {
    const int F = d.n_features;
    const int n_pool = rows.n - rows.n_official_test;
    std::vector<uint32_t> order(rows.n);
    for (int i = 0; i < rows.n; ++i) order[i] = i;
    if (spec.shuffle) {
        Rng rng(spec.toy.seed, 0xda7a5u);
        shuffle(order.data(), size_t(n_pool), rng);
    }
    const int n_test = rows.n_official_test ? rows.n_official_test : int(std::lround(rows.n * spec.test_fraction));
    const int n_train = rows.n - n_test;
    auto fill = [&](Split &s, int begin, int end) {
        s.n = end - begin;
        s.x.resize(size_t(s.n) * F);
        s.y.resize(s.n);
        if (!rows.point.empty()) s.point.resize(size_t(s.n) * 2);
        for (int r = begin; r < end; ++r) {
            uint32_t i = order[r];
            std::copy_n(&rows.x[size_t(i) * F], F, &s.x[size_t(r - begin) * F]);
            s.y[r - begin] = rows.y[i];
            if (!rows.point.empty()) {
                s.point[2 * (r - begin)] = rows.point[2 * i];
                s.point[2 * (r - begin) + 1] = rows.point[2 * i + 1];
            }
        }
    };
    fill(d.test, n_train, rows.n);
    if (!spec.shuffle && rows.point.empty()) {
        // In file order the training rows are the first ones: taken over, not copied (Fashion-MNIST's
        // 188 MB of them would otherwise be held twice while the split is made, in a 512 MB page).
        d.train.n = n_train;
        d.train.x = std::move(rows.x);
        d.train.x.resize(size_t(n_train) * F); // the test rows' capacity stays (shrinking would copy it all)
        d.train.y.assign(rows.y.begin(), rows.y.begin() + n_train);
    } else {
        fill(d.train, 0, n_train);
    }
    if (d.train.n == 0) throw Error("data.test_fraction", "leaves no training rows");
}

// Step 3: per-feature offset and scale from the training split only, applied to both splits.
void normalize_features(const DataSpec &spec, Dataset &d) {
    const int F = d.n_features;
    d.feature_offset.assign(F, 0.0f);
    d.feature_scale.assign(F, 1.0f);
    if (spec.normalize != Normalize::none) {
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
            double sd = std::sqrt(sum2 / d.train.n); // population std, as docs/spec.md says
            if (spec.normalize == Normalize::standard) {
                d.feature_offset[f] = float(mean);
                d.feature_scale[f] = sd > 0 ? float(1.0 / sd) : 1.0f; // a constant column stays 0
            } else {
                d.feature_offset[f] = float(lo);
                d.feature_scale[f] = hi > lo ? float(1.0 / (hi - lo)) : 1.0f;
            }
        }
        for (Split *s : {&d.train, &d.test})
            for (int r = 0; r < s->n; ++r)
                for (int f = 0; f < F; ++f) {
                    float &v = s->x[size_t(r) * F + f];
                    v = (v - d.feature_offset[f]) * d.feature_scale[f];
                }
    }
}

} // namespace

std::string data_root() { // the same order as scripts/lib.sh and scripts/fetch-data
    if (const char *env = std::getenv("LIANDAN_DATA"); env && *env) return env;
    if (const char *cache = std::getenv("LIANDAN_CACHE"); cache && *cache) return std::string(cache) + "/data";
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/liandan/data";
    const char *home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.cache/liandan/data";
}

std::string expand_path(const std::string &path) {
    const std::string var = "${LIANDAN_DATA}";
    return path.rfind(var, 0) == 0 ? data_root() + path.substr(var.size()) : path;
}

void Dataset::features_of_point(float x, float y, float *out) const {
    toy_features(feature_names, x, y, out);
    for (int f = 0; f < n_features; ++f) out[f] = (out[f] - feature_offset[f]) * feature_scale[f];
}

std::vector<float> Dataset::plane_grid_features(int G) const {
    std::vector<float> out(size_t(G) * G * n_features);
    for (int row = 0; row < G; ++row)
        for (int col = 0; col < G; ++col) {
            float x = -k_toy_extent + (col + 0.5f) * 2 * k_toy_extent / G;
            float y = k_toy_extent - (row + 0.5f) * 2 * k_toy_extent / G;
            features_of_point(x, y, &out[(size_t(row) * G + col) * n_features]);
        }
    return out;
}

Dataset make_dataset(const DataSpec &named, LossType loss, const MemoryLimit &memory_mb) {
    const NamedSet *set = named_set(named.source);
    const DataSpec spec = resolve_named_set(named); // a named set as the files it is
    if (set)
        for (const std::string *file : {&spec.path, &spec.images})
            if (!file->empty() && !std::ifstream(*file))
                throw Error("data.source", std::string("the ") + set->title + " files are not in " + file->substr(0, file->rfind('/')) +
                                               "; run scripts/fetch-data");
    Dataset d;
    Rows rows = read_rows(spec, named.source, loss, memory_mb, d);
    d.n_features = 1;
    for (int s : d.sample_shape) d.n_features *= s;
    split_rows(spec, rows, d);
    if (spec.minority_share > 0) keep_minority_share(d, spec.minority_share);
    normalize_features(spec, d);
    return d;
}

} // namespace liandan
