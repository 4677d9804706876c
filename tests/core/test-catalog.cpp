// The named data sets (core/data/catalog.h): every set and preset is a valid spec, named sets
// resolve to their files under the data root, links say dataset=NAME, and tables read as gzip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "data/catalog.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/detect.h"
#include "helpers.h"
#include "url_hash.h"
#include "util/error.h"

using namespace liandan;

namespace {
std::string write_gzip(const std::string &name, const std::string &text) {
    const std::string path = liandan::test::temp_folder() + name;
    gzFile f = gzopen(path.c_str(), "wb9");
    gzwrite(f, text.data(), unsigned(text.size()));
    gzclose(f);
    return path;
}
} // namespace

TEST(catalog, every_set_and_preset_makes_a_valid_spec) {
    ASSERT_EQ(named_sets().size(), 5u);
    for (const NamedSet &set : named_sets()) {
        EXPECT_EQ(named_set(set.name), &set);
        EXPECT_EQ(named_set(set.source), &set);
        EXPECT_STREQ(data_source_name(set.source), set.name);
        ASSERT_FALSE(set.presets.empty()) << set.name;
        for (const NetworkPreset &p : set.presets) {
            const Spec s = proposed_spec(set, p, default_spec());
            EXPECT_EQ(s.data.source, set.source);
            EXPECT_EQ(has_official_test_split(s.data), set.images) << set.name;
            // The spec survives printing and parsing (what the URL and the page's load do).
            EXPECT_EQ(spec_to_json(parse_spec(spec_to_json(s))), spec_to_json(s)) << set.name << " " << p.name;
        }
    }
    EXPECT_EQ(named_set("spiral"), nullptr);
    EXPECT_EQ(named_set(DataSource::csv), nullptr);
}

TEST(catalog, named_sets_resolve_to_their_files_under_the_data_root) {
    DataSpec mnist;
    mnist.source = DataSource::mnist;
    const DataSpec files = resolve_named_set(mnist);
    EXPECT_EQ(files.source, DataSource::idx);
    EXPECT_EQ(files.images, data_root() + "/mnist/train-images-idx3-ubyte.gz");
    EXPECT_EQ(files.test_labels, data_root() + "/mnist/t10k-labels-idx1-ubyte.gz");
    EXPECT_EQ(data_root_files(mnist), (std::vector<std::string>{"mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz",
                                                                 "mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz"}));
    DataSpec iris;
    iris.source = DataSource::iris;
    EXPECT_EQ(resolve_named_set(iris).path, data_root() + "/tabular/iris.csv.gz");
    EXPECT_EQ(resolve_named_set(iris).target, "species");
    iris.target = "petal_width"; // another target of the same table
    EXPECT_EQ(resolve_named_set(iris).target, "petal_width");
    // A file written as ${LIANDAN_DATA}/... is the data root's too; other paths are not.
    DataSpec csv;
    csv.source = DataSource::csv;
    csv.path = "${LIANDAN_DATA}/tabular/iris.csv.gz";
    EXPECT_EQ(data_root_files(csv), std::vector<std::string>{"tabular/iris.csv.gz"});
    csv.path = "/elsewhere/iris.csv";
    EXPECT_TRUE(data_root_files(csv).empty());
}

TEST(catalog, a_missing_set_is_refused_naming_the_folder_and_the_fix) {
    Spec s = parse_spec_text(R"({"data": {"source": "fashion-mnist", "dir": "/nonexistent/fashion"},
        "model": {"layers": [{"type": "flatten"}, {"units": 10}]}, "loss": {"type": "cross_entropy"}})");
    try {
        make_dataset(s.data, s.loss.type, MemoryLimit{512});
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "data.source: the Fashion-MNIST files are not in /nonexistent/fashion; run scripts/fetch-data");
    }
}

TEST(catalog, links_name_the_set_and_refuse_the_planes_keys) {
    const Spec mnist = spec_from_url_hash("#dataset=mnist");
    EXPECT_EQ(mnist.data.source, DataSource::mnist);
    EXPECT_EQ(mnist.model.layers[0].type, LayerType::conv2d);
    EXPECT_EQ(url_hash_from_spec(mnist), "dataset=mnist");
    const Spec iris = spec_from_url_hash("dataset=iris&learningRate=0.02&batchSize=8&epochs=30");
    EXPECT_EQ(iris.data.source, DataSource::iris);
    EXPECT_DOUBLE_EQ(iris.optimizer.lr, 0.02);
    EXPECT_EQ(iris.train.batch_size, 8);
    EXPECT_EQ(iris.train.epochs, 30);
    EXPECT_EQ(spec_to_json(spec_from_url_hash(url_hash_from_spec(iris))), spec_to_json(iris)); // beyond dataset=: the full form
    try {
        spec_from_url_hash("dataset=mnist&networkShape=4,2");
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()).rfind("networkShape: is for the plane's data sets", 0), 0u) << e.what();
    }
    EXPECT_THROW(spec_from_url_hash("dataset=mnist&learningRate=99"), Error); // the usual bounds
}

TEST(catalog, tables_and_csv_files_read_alike_plain_or_gzip) {
    const std::string text = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n";
    const std::string plain = test::write_temp_file("t-plain.csv", text), packed = write_gzip("t-packed.csv.gz", text);
    EXPECT_EQ(read_csv_header(packed), (std::vector<std::string>{"a", "b", "label"}));
    const DataFileInfo info = detect_data_file(packed);
    EXPECT_EQ(info.kind, DataFileKind::csv);
    EXPECT_TRUE(info.gzip);
    DataSpec a, b;
    a.source = b.source = DataSource::csv;
    a.target = b.target = "label";
    a.path = plain;
    b.path = packed;
    a.test_fraction = b.test_fraction = 0.34;
    a.features.clear(), b.features.clear(); // every column but the target
    const Dataset da = make_dataset(a, LossType::cross_entropy, MemoryLimit{64}), db = make_dataset(b, LossType::cross_entropy, MemoryLimit{64});
    EXPECT_EQ(da.train.x, db.train.x);
    EXPECT_EQ(da.class_names, db.class_names);
    // Gzip bytes that hold neither IDX nor text are named as such.
    const std::string binary = write_gzip("t-binary.gz", std::string("\x01\x02\x00\x03", 4));
    EXPECT_THROW(detect_data_file(binary), Error);
}

TEST(catalog, the_rarer_class_share_of_the_training_rows_can_be_lowered) {
    std::string text = "a,label\n";
    for (int i = 0; i < 200; ++i) text += std::to_string(i) + "," + (i % 5 < 2 ? "yes" : "no") + "\n"; // 40% yes
    DataSpec d;
    d.source = DataSource::csv;
    d.path = test::write_temp_file("balanced.csv", text);
    d.target = "label";
    d.features.clear();
    d.test_fraction = 0.5;
    d.minority_share = 0.1;
    const Dataset data = make_dataset(d, LossType::cross_entropy, MemoryLimit{64});
    int yes = 0;
    for (float y : data.train.y) yes += y > 0.5f;
    EXPECT_EQ(data.train.n - yes, 60); // the other class keeps all its rows
    EXPECT_EQ(yes, 6);                 // 6 of 66: a tenth
    EXPECT_EQ(data.test.n, 100);       // the test rows keep theirs
    // Parsed and printed with the spec; only for two classes.
    const Spec s = parse_spec_text(R"({"data": {"source": "iris", "minority_share": 0.2}, "loss": {"type": "cross_entropy"},
        "model": {"layers": [{"units": 3}]}})");
    EXPECT_DOUBLE_EQ(s.data.minority_share, 0.2);
    EXPECT_THROW(parse_spec_text(R"({"data": {"source": "iris", "minority_share": 0.7}})"), Error);
}
