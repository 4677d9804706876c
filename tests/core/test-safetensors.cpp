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
// Each test its own file name: ctest runs tests side by side.
std::string expect_refusal(Model &m, const std::string &bytes, const std::string &name = "bad.safetensors") {
    std::string path = test::write_temp_file(name, bytes);
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
    std::string path = liandan::test::temp_folder() + "tiny.safetensors";
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
    EXPECT_NE(expect_refusal(m, "abc", "short.safetensors").find("shorter than its 8-byte header length"), std::string::npos);
    std::string huge("\xff\xff\xff\xff\x00\x00\x00\x00", 8);
    EXPECT_NE(expect_refusal(m, huge, "huge.safetensors").find("exceeds the file"), std::string::npos);

    auto wider_model = test::make_model({1, 1, 1}, {test::dense(3, Activation::tanh), test::dense(1)}, 1);
    Model &wider = *wider_model;
    std::string path = liandan::test::temp_folder() + "wider.safetensors";
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

namespace {
// A safetensors file from a header text and data bytes (the header length is written for the text).
std::string file_of(const std::string &header, const std::string &data) {
    std::string bytes(8, '\0');
    uint64_t length = header.size();
    std::memcpy(bytes.data(), &length, 8);
    return bytes + header + data;
}
// The tiny model's header with one entry replaced (by name), or removed (entry empty).
std::string header_with(const std::string &name, const std::string &entry) {
    const std::vector<std::pair<std::string, std::string>> entries = {
        {"layers.0.weight", R"({"dtype":"F32","shape":[2,1],"data_offsets":[0,8]})"},
        {"layers.0.bias", R"({"dtype":"F32","shape":[2],"data_offsets":[8,16]})"},
        {"layers.1.weight", R"({"dtype":"F32","shape":[1,2],"data_offsets":[16,24]})"},
        {"layers.1.bias", R"({"dtype":"F32","shape":[1],"data_offsets":[24,28]})"}};
    std::string text = "{";
    for (auto &[n, e] : entries) {
        const std::string &value = n == name ? entry : e;
        if (value.empty()) continue;
        if (text.size() > 1) text += ',';
        text.append("\"").append(n).append("\":").append(value);
    }
    return text + "}";
}
} // namespace

TEST(safetensors, malformed_files_are_refused_naming_the_tensor) {
    const std::string data(28, '\0'); // seven floats of 0
    struct Case {
        const char *what;
        std::string bytes, message; // message: after "<path>: "
    };
    const Case cases[] = {
        {"empty", "", "is not a safetensors file (shorter than its 8-byte header length)"},
        {"header length cut", std::string("\x10\0\0", 3), "is not a safetensors file (shorter than its 8-byte header length)"},
        {"header cut short", file_of(header_with("", ""), data).substr(0, 40), "is not a safetensors file (header length 274 exceeds the file)"},
        {"length past the end", std::string("\xff\0\0\0\0\0\0\0{}", 10), "is not a safetensors file (header length 255 exceeds the file)"},
        {"invalid JSON", file_of(R"({"layers.0.weight": {"dtype": "F32",)", data), "is not a safetensors file (its header is not valid JSON: "},
        {"not an object", file_of("[1, 2]", data), "is not a safetensors file (its header is a JSON array, not an object)"},
        {"wrong dtype", file_of(header_with("layers.0.bias", R"({"dtype":"F16","shape":[2],"data_offsets":[8,12]})"), data),
         "layers.0.bias has dtype \"F16\"; the model needs F32"},
        {"offsets past the data", file_of(header_with("layers.1.bias", R"({"dtype":"F32","shape":[1],"data_offsets":[28,32]})"), data),
         "layers.1.bias has data_offsets [28, 32] outside the 28 data bytes or not 4 bytes long"},
        {"offsets of the wrong size", file_of(header_with("layers.1.bias", R"({"dtype":"F32","shape":[1],"data_offsets":[16,24]})"), data),
         "layers.1.bias has data_offsets [16, 24] outside the 28 data bytes or not 4 bytes long"},
        {"offsets reversed", file_of(header_with("layers.0.bias", R"({"dtype":"F32","shape":[2],"data_offsets":[16,8]})"), data),
         "layers.0.bias has data_offsets [16, 8] outside the 28 data bytes or not 8 bytes long"},
        {"tensor missing", file_of(header_with("layers.1.bias", ""), data), "has no tensor layers.1.bias that the model needs"},
        {"wrong shape", file_of(header_with("layers.1.weight", R"({"dtype":"F32","shape":[2,1],"data_offsets":[16,24]})"), data),
         "layers.1.weight has shape [2, 1] but the model needs [1, 2]"},
        {"entry not an object", file_of(header_with("layers.0.weight", "[0, 8]"), data), "layers.0.weight has a malformed entry in the header"},
        {"shape not a list", file_of(header_with("layers.0.weight", R"({"dtype":"F32","shape":"2x1","data_offsets":[0,8]})"), data),
         "layers.0.weight has a malformed entry in the header"},
        {"extra tensor", file_of(header_with("", "").substr(0, header_with("", "").size() - 1) +
                                     R"(,"layers.2.weight":{"dtype":"F32","shape":[1],"data_offsets":[24,28]}})",
                                 data),
         "has a tensor layers.2.weight that the model does not have"},
    };
    auto model = tiny();
    for (const Case &c : cases) {
        SCOPED_TRACE(c.what);
        std::string got = expect_refusal(*model, c.bytes);
        const std::string path = liandan::test::temp_folder() + "bad.safetensors";
        EXPECT_EQ(got.substr(0, path.size() + 2 + c.message.size()), path + ": " + c.message) << got;
        EXPECT_EQ(model->params()[0], 0.5f); // untouched
    }
    // The well-formed file of the same bytes loads, so each refusal above is for its one defect.
    EXPECT_EQ(expect_refusal(*model, file_of(header_with("", ""), data)), "accepted");
    EXPECT_EQ(model->params()[0], 0.0f);
}

TEST(safetensors, a_header_nested_deeper_than_a_header_is_refused_before_parsing) {
    // A million '[' once overflowed the parser's stack; a header needs two levels of nesting.
    const std::string header = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    std::string bytes(8, '\0');
    const uint64_t length = header.size();
    std::memcpy(bytes.data(), &length, 8);
    auto model = tiny();
    EXPECT_NE(expect_refusal(*model, bytes + header, "deep.safetensors").find("nests deeper than a header does"), std::string::npos);
}
