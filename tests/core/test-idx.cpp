// IDX: round trips plain and gzip, refusals of malformed files, and a small conv net trained
// on IDX images end to end.
#include <fstream>

#include "data/dataset.h"
#include "data/idx.h"
#include "helpers.h"
#include "train/trainer.h"

using namespace liandan;

namespace {
std::string refusal(const std::string &path) {
    try {
        IdxHeader h;
        read_idx(path, h);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}

// 8×8 images: class 0 has a horizontal bar, class 1 a vertical one, at a varying place.
void write_bars(const std::string &images, const std::string &labels, int n, uint64_t seed) {
    Rng rng(seed);
    std::vector<uint8_t> px(size_t(n) * 64, 0), lab(n);
    for (int i = 0; i < n; ++i) {
        lab[i] = uint8_t(i % 2);
        int at = 1 + int(rng.below(6));
        for (int k = 0; k < 8; ++k) px[size_t(i) * 64 + (lab[i] ? k * 8 + at : at * 8 + k)] = 255;
    }
    write_idx(images, {n, 8, 8}, px);
    write_idx(labels, {n}, lab);
}
} // namespace

TEST(idx, round_trip_plain_and_gzip) {
    std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6};
    for (std::string name : {"r.idx", "r.idx.gz"}) {
        std::string path = liandan::test::temp_folder() + name;
        write_idx(path, {2, 3}, data);
        IdxHeader h;
        EXPECT_EQ(read_idx(path, h), data);
        EXPECT_EQ(h.dims, (std::vector<int>{2, 3}));
        EXPECT_EQ(read_idx_header(path).dims, (std::vector<int>{2, 3}));
    }
}

TEST(idx, refusals_name_the_file) {
    std::string bad = test::write_temp_file("bad.idx", "PK\x03\x04 not idx");
    EXPECT_EQ(refusal(bad), bad + ": is not an IDX file (its first two bytes are not zero)");
    std::string floats = test::write_temp_file("floats.idx", std::string("\0\0\x0d\x01\0\0\0\x01", 8));
    EXPECT_EQ(refusal(floats), floats + ": holds IDX data of type 0x0d; only unsigned bytes (0x08) are read");
    std::string short_file = test::write_temp_file("short.idx", std::string("\0\0\x08\x01\0\0\0\x09\x01\x02", 10));
    EXPECT_EQ(refusal(short_file), short_file + ": ends early in its data");
}

namespace {
std::string read_bytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
std::string dataset_refusal(const std::string &images, const std::string &labels) {
    DataSpec d;
    d.source = DataSource::idx;
    d.images = images, d.labels = labels;
    try {
        make_dataset(d, LossType::cross_entropy, 512);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(idx, malformed_files_are_refused_naming_the_file) {
    using namespace std::string_literals;
    struct Case {
        const char *name;
        std::string bytes, message;
    };
    const Case cases[] = {
        {"empty.idx", "", "ends early in its header"},
        {"two-bytes.idx", "\0\0"s, "ends early in its header"},
        {"magic.idx", "\x01\x02\x08\x01\0\0\0\x01\x05"s, "is not an IDX file (its first two bytes are not zero)"},
        {"int32.idx", "\0\0\x0c\x01\0\0\0\x01\0\0\0\x05"s, "holds IDX data of type 0x0c; only unsigned bytes (0x08) are read"},
        {"no-dims.idx", "\0\0\x08\0"s, "has 0 dimensions; 1 to 4 are read"},
        {"five-dims.idx", "\0\0\x08\x05"s, "has 5 dimensions; 1 to 4 are read"},
        {"cut-dims.idx", "\0\0\x08\x02\0\0\0\x02\0\0"s, "ends early in its header"},
        {"zero-size.idx", "\0\0\x08\x01\0\0\0\0"s, "has an implausible size 0 in dimension 0"},
        {"huge-size.idx", "\0\0\x08\x01\x7f\xff\xff\xff"s, "has an implausible size 2147483647 in dimension 0"},
        // 65536⁴ = 2⁶⁴ bytes: a product that wraps to 0 in 64 bits must still be refused.
        {"wraps.idx", "\0\0\x08\x04\0\x01\0\0\0\x01\0\0\0\x01\0\0\0\x01\0\0"s, "claims 65536 × 65536 × 65536 × 65536 values in its header, over the 2 GB that are read at most"},
        {"cut-data.idx", "\0\0\x08\x02\0\0\0\x02\0\0\0\x02\x01\x02\x03"s, "ends early in its data"},
        {"not-gzip.idx.gz", "\x1f\x8b\x08\0\0\0\0\0\0\x03garbage that does not inflate"s, "is corrupt (zlib: "},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        std::string path = test::write_temp_file(c.name, c.bytes);
        std::string got = refusal(path);
        EXPECT_EQ(got.substr(0, path.size() + 2 + c.message.size()), path + ": " + c.message) << got;
    }
    EXPECT_EQ(refusal(liandan::test::temp_folder() + "absent.idx"), liandan::test::temp_folder() + "absent.idx: cannot be opened");
}

TEST(idx, corrupt_and_truncated_gzip_are_refused) {
    std::vector<uint8_t> data(4000);
    Rng rng(3);
    for (uint8_t &b : data) b = uint8_t(rng.below(16)); // compressible, but not to nothing
    const std::string good = liandan::test::temp_folder() + "good.idx.gz";
    write_idx(good, {40, 100}, data);
    const std::string bytes = read_bytes(good);
    ASSERT_GT(bytes.size(), 100u);

    std::string flipped = bytes;
    for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 8; ++i) flipped[i] = char(flipped[i] ^ 0x5a);
    std::string corrupt = test::write_temp_file("corrupt.idx.gz", flipped);
    EXPECT_EQ(refusal(corrupt).rfind(corrupt + ": is corrupt (zlib: ", 0), 0u) << refusal(corrupt);

    std::string bad_crc = bytes; // the data inflates; only the trailer's checksum can tell
    bad_crc[bytes.size() - 8] = char(bad_crc[bytes.size() - 8] ^ 0x01);
    std::string crc = test::write_temp_file("crc.idx.gz", bad_crc);
    EXPECT_EQ(refusal(crc).rfind(crc + ": is corrupt (zlib: ", 0), 0u) << refusal(crc);

    std::string cut = test::write_temp_file("cut.idx.gz", bytes.substr(0, bytes.size() / 2));
    EXPECT_EQ(refusal(cut), cut + ": ends early in its data");
}

TEST(idx, images_and_labels_that_do_not_pair_are_refused) {
    const std::string dir = liandan::test::temp_folder();
    write_idx(dir + "six-images.idx", {6, 2, 2}, std::vector<uint8_t>(24, 7));
    write_idx(dir + "five-labels.idx", {5}, {0, 1, 0, 1, 0});
    write_idx(dir + "grid-labels.idx", {6, 1}, {0, 1, 0, 1, 0, 1});
    EXPECT_EQ(dataset_refusal(dir + "six-images.idx", dir + "five-labels.idx"),
              dir + "five-labels.idx: has 5 labels but " + dir + "six-images.idx has 6 images");
    EXPECT_EQ(dataset_refusal(dir + "six-images.idx", dir + "grid-labels.idx"),
              dir + "grid-labels.idx: is not a label file (it has 2 dimensions)");
    EXPECT_EQ(dataset_refusal(dir + "six-images.idx", dir + "none.idx"), dir + "none.idx: cannot be opened");
}

TEST(idx, conv_net_learns_bars_from_idx_files) {
    const std::string dir = liandan::test::temp_folder();
    write_bars(dir + "bars-images.idx.gz", dir + "bars-labels.idx.gz", 200, 1);
    write_bars(dir + "bars-test-images.idx", dir + "bars-test-labels.idx", 60, 2);
    Spec s = parse_spec_text(R"({
      "data": { "source": "idx", "images": ")" + dir + R"(bars-images.idx.gz", "labels": ")" + dir + R"(bars-labels.idx.gz",
                "test_images": ")" + dir + R"(bars-test-images.idx", "test_labels": ")" + dir + R"(bars-test-labels.idx" },
      "model": { "input": [1, 8, 8], "layers": [ { "type": "conv2d", "filters": 4, "kernel": 3, "padding": "same", "activation": "relu" },
                                                 { "type": "maxpool", "size": 2 }, { "type": "flatten" }, { "type": "dense", "units": 2 } ] },
      "loss": { "type": "cross_entropy" }, "optimizer": { "type": "adam", "lr": 0.01 },
      "train": { "batch_size": 16, "epochs": 8 } })");
    Trainer t(s);
    EXPECT_EQ(t.data().train.n, 200);
    EXPECT_EQ(t.data().test.n, 60);
    EpochMetrics last;
    t.fit([&](const EpochMetrics &m) {
        last = m;
        return true;
    });
    std::printf("  test accuracy %.3f, loss %.4f\n", last.accuracy_test, last.loss_test);
    EXPECT_GT(last.accuracy_test, 0.95);
    ASSERT_EQ(last.confusion_test.size(), 4u);
    EXPECT_EQ(last.confusion_test[0] + last.confusion_test[1] + last.confusion_test[2] + last.confusion_test[3], 60);
}
