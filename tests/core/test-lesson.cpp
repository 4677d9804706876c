// Lessons: the catalog in assets/lessons parses, every variant is a valid spec, variants set what
// they say, and a malformed catalog is refused naming the lesson.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.h"
#include "lesson.h"

using namespace liandan;

namespace {
std::string read(const std::filesystem::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::map<std::string, std::string> lesson_files() {
    std::map<std::string, std::string> files;
    for (const auto &e : std::filesystem::directory_iterator(LIANDAN_LESSONS_DIR))
        if (e.path().extension() == ".json") files[e.path().filename().string()] = read(e.path());
    return files;
}
} // namespace

TEST(lesson, the_catalog_parses_and_every_variant_is_a_spec) {
    const auto files = lesson_files();
    const std::vector<Lesson> lessons = parse_lessons(files.at("lessons.json"), files);
    ASSERT_EQ(lessons.size(), 11u);
    for (const Lesson &l : lessons) {
        SCOPED_TRACE(l.id);
        EXPECT_GE(l.variants.size(), 2u);
        EXPECT_FALSE(l.title.zh.empty());
        EXPECT_FALSE(l.text.zh.empty());
        EXPECT_EQ(&l.title.in("zh"), &l.title.zh);
        EXPECT_EQ(&l.title.in("fr"), &l.title.en); // a language without a text falls back to English
    }
    const Lesson &activation = *std::find_if(lessons.begin(), lessons.end(), [](const Lesson &l) { return l.id == "activation"; });
    EXPECT_EQ(activation.spec().model.layers[3].activation, Activation::sigmoid); // the first variant
    EXPECT_EQ(activation.spec("relu").model.layers[3].activation, Activation::relu);
    EXPECT_EQ(activation.spec("no such variant").model.layers[3].activation, Activation::sigmoid);
}

TEST(lesson, a_malformed_catalog_is_refused_naming_the_lesson) {
    const std::map<std::string, std::string> files = {{"a.json", R"({"data": {"toy": {"shape": "xor"}}, "model": {"layers": [{"type": "dense", "units": 1}]}})"}};
    auto refusal = [&](const std::string &catalog) {
        try {
            parse_lessons(catalog, files);
        } catch (const Error &e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const std::string head = R"({"lessons": [{"id": "x", "title": {"en": "X"}, "text": {"en": "T"}, )";
    EXPECT_EQ(refusal(head + R"("spec": "b.json", "variants": []}]})"), "lesson x: its spec b.json is missing");
    EXPECT_NE(refusal(head + R"("spec": "a.json", "variants": [{"name": "v", "label": {"en": "V"}, "set": ["model.layers[0].units=0"]}]}]})")
                  .find("model.layers[0].units"),
              std::string::npos);
    EXPECT_EQ(refusal(head + R"("spec": "a.json", "variants": [{"name": "v", "label": {"en": "V"}, "set": ["nothing"]}]}]})"),
              "lesson x: variant v: 'nothing' is not key=value");
    EXPECT_NE(refusal("{").find("lessons.json"), std::string::npos);
}
