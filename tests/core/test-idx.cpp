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
        std::string path = ::testing::TempDir() + name;
        write_idx(path, {2, 3}, data);
        IdxHeader h;
        EXPECT_EQ(read_idx(path, h), data);
        EXPECT_EQ(h.dims, (std::vector<int>{2, 3}));
        EXPECT_EQ(read_idx_header(path).dims, (std::vector<int>{2, 3}));
    }
}

TEST(idx, refusals_name_the_file) {
    std::string bad = ::testing::TempDir() + "bad.idx";
    std::ofstream(bad, std::ios::binary) << "PK\x03\x04 not idx";
    EXPECT_EQ(refusal(bad), bad + ": is not an IDX file (its first two bytes are not zero)");
    std::string floats = ::testing::TempDir() + "floats.idx";
    std::ofstream(floats, std::ios::binary) << std::string("\0\0\x0d\x01\0\0\0\x01", 8);
    EXPECT_EQ(refusal(floats), floats + ": holds IDX data of type 0x0d; only unsigned bytes (0x08) are read");
    std::string short_file = ::testing::TempDir() + "short.idx";
    std::ofstream(short_file, std::ios::binary) << std::string("\0\0\x08\x01\0\0\0\x09\x01\x02", 10);
    EXPECT_EQ(refusal(short_file), short_file + ": ends early in its data");
}

TEST(idx, conv_net_learns_bars_from_idx_files) {
    const std::string dir = ::testing::TempDir();
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
