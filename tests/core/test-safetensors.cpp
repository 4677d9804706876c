// safetensors: the exact bytes of a small file, and refusals of files that do not fit.
#include <cstring>
#include <fstream>
#include <sstream>

#include "helpers.h"
#include "io/safetensors.h"
#include "util/error.h"

using namespace liandan;

namespace {
std::string read_all(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::unique_ptr<Model> tiny() {
    auto model = test::make_model({1, 1, 1}, {test::dense(2, Activation::tanh), test::dense(1)}, 1);
    for (size_t i = 0; i < model->params().size(); ++i) model->params()[i] = float(i) + 0.5f;
    return model;
}
std::string expect_refusal(Model &m, const std::string &bytes) {
    std::string path = ::testing::TempDir() + "bad.safetensors";
    std::ofstream(path, std::ios::binary) << bytes;
    try {
        load_safetensors(m, path);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(safetensors, bytes_match_the_format) {
    auto tiny_model = tiny();
    Model &m = *tiny_model;
    std::string path = ::testing::TempDir() + "tiny.safetensors";
    save_safetensors(m, path);
    std::string bytes = read_all(path);
    const std::string header =
        R"({"layers.0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},)"
        R"("layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},)"
        R"("layers.1.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[16,24]},)"
        R"("layers.1.bias":{"dtype":"F32","shape":[1],"data_offsets":[24,28]}})";
    const size_t padded = (header.size() + 7) / 8 * 8;
    ASSERT_EQ(bytes.size(), 8 + padded + 28);
    uint64_t length = 0;
    std::memcpy(&length, bytes.data(), 8);
    EXPECT_EQ(length, padded);
    EXPECT_EQ(bytes.substr(8, header.size()), header);
    EXPECT_EQ(bytes.substr(8 + header.size(), padded - header.size()), std::string(padded - header.size(), ' '));
    float first = 0, last = 0;
    std::memcpy(&first, bytes.data() + 8 + padded, 4);
    std::memcpy(&last, bytes.data() + 8 + padded + 24, 4);
    EXPECT_EQ(first, 0.5f);
    EXPECT_EQ(last, 6.5f);
}

TEST(safetensors, refuses_what_does_not_fit) {
    auto tiny_model = tiny();
    Model &m = *tiny_model;
    EXPECT_NE(expect_refusal(m, "abc").find("shorter than its 8-byte header length"), std::string::npos);
    std::string huge("\xff\xff\xff\xff\x00\x00\x00\x00", 8);
    EXPECT_NE(expect_refusal(m, huge).find("exceeds the file"), std::string::npos);

    auto wider_model = test::make_model({1, 1, 1}, {test::dense(3, Activation::tanh), test::dense(1)}, 1);
    Model &wider = *wider_model;
    std::string path = ::testing::TempDir() + "wider.safetensors";
    save_safetensors(wider, path);
    try {
        load_safetensors(m, path);
        FAIL() << "a file of another shape was accepted";
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("layers.0.weight has shape [3, 1] but the model needs [2, 1]"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(m.params()[0], 0.5f); // a refused file leaves the weights untouched
}
