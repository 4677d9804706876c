// Data file detection from bytes: IDX images and labels (plain and gzip, whatever the name),
// CSV with a header, and refusals that name the file.

#include "data/detect.h"
#include "data/idx.h"
#include "helpers.h"

using namespace liandan;

namespace {
std::string refusal(const std::string &path) {
    try {
        detect_data_file(path);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(detect, idx_by_magic_not_by_name) {
    // Names that say nothing (or the wrong thing): the header decides.
    std::string images = liandan::test::temp_folder() + "labels-but-really-images.bin.gz";
    std::string labels = liandan::test::temp_folder() + "upload-2";
    write_idx(images, {3, 4, 5}, std::vector<uint8_t>(60, 7));
    write_idx(labels, {3}, {0, 1, 2});
    DataFileInfo a = detect_data_file(images), b = detect_data_file(labels);
    EXPECT_EQ(a.kind, DataFileKind::idx_images);
    EXPECT_TRUE(a.gzip);
    EXPECT_EQ(a.dims, (std::vector<int>{3, 4, 5}));
    EXPECT_EQ(b.kind, DataFileKind::idx_labels);
    EXPECT_FALSE(b.gzip);
    EXPECT_EQ(b.dims, (std::vector<int>{3}));
    EXPECT_STREQ(data_file_kind_name(a.kind), "IDX images");
}

TEST(detect, csv_header_with_quotes) {
    std::string path = test::write_temp_file("data.txt", "\"petal, length\",width,species\n1,2,a\n3,4,b\n");
    DataFileInfo info = detect_data_file(path);
    EXPECT_EQ(info.kind, DataFileKind::csv);
    EXPECT_EQ(info.columns, (std::vector<std::string>{"petal, length", "width", "species"}));
}

TEST(detect, refusals_name_the_file) {
    std::string empty = test::write_temp_file("empty.csv", "");
    EXPECT_EQ(refusal(empty), empty + ": is empty");
    std::string one = test::write_temp_file("one.csv", "value\n1\n2\n");
    EXPECT_EQ(refusal(one), one + ": is not a CSV file with a header row: its first line has 1 column; at least two (inputs and a target) are needed");
    std::string binary = test::write_temp_file("blob.csv", std::string("PK\x03\x04\0\0zip", 9));
    EXPECT_EQ(refusal(binary), binary + ": is neither an IDX file (MNIST format) nor CSV text");
    std::string twice = test::write_temp_file("twice.csv", "a,b,a\n1,2,3\n");
    EXPECT_EQ(refusal(twice), twice + ":1: the header names 'a' twice");
    std::string floats = test::write_temp_file("floats.idx", std::string("\0\0\x0d\x01\0\0\0\x01\0\0\0\0", 12));
    EXPECT_EQ(refusal(floats), floats + ": holds IDX data of type 0x0d; only unsigned bytes (0x08) are read");
    std::string truncated = test::write_temp_file("short.idx", std::string("\0\0\x08\x03\0\0\0\x02", 8));
    EXPECT_EQ(refusal(truncated), truncated + ": ends early in its header");
    // The PyTorch export given back (its text parsed as CSV said "a quoted field is not closed").
    std::string python = test::write_temp_file("liandan-spiral-model.py", "# Liandan's network in PyTorch\nimport torch\n");
    EXPECT_EQ(refusal(python), python + ": is a Python program, not data: run it with python3 (the PyTorch export trains on outside "
                                        "the browser); Open takes specs, weights, experiments and CSV or IDX data");
    std::string trips = test::write_temp_file("trips.csv", "from station,import duty,y\n1,2,0\n");
    EXPECT_EQ(refusal(trips), "accepted"); // a header's words are not Python
    // Bytes of no format: a first type byte that is not IDX's is not read as IDX (a safetensors
    // header length of 2⁶² starts with zeros), and a file named .safetensors goes to its reader,
    // whose refusal says what is wrong with it (not "neither IDX nor CSV").
    std::string zeros = test::write_temp_file("blob.bin", std::string("\0\0\0\0\0\0\0\x40{\"a\":1}", 15));
    EXPECT_EQ(refusal(zeros), zeros + ": is neither an IDX file (MNIST format) nor CSV text");
    std::string fake = test::write_temp_file("fake.safetensors", std::string("\x93\x11\0\xffrandom bytes\0", 17));
    EXPECT_EQ(detect_data_file(fake).kind, DataFileKind::weights);
    std::string missing = liandan::test::temp_folder() + "no-such-file.csv";
    EXPECT_EQ(refusal(missing), missing + ": cannot be opened");
}
