// Lessons: the catalog read into specs and variants (lesson.h).
#include "lesson.h"

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace liandan {

const Lesson::Variant *Lesson::variant(const std::string &name) const {
    for (const Variant &v : variants)
        if (v.name == name) return &v;
    return nullptr;
}

Spec Lesson::spec(const std::string &name) const {
    nlohmann::json j = nlohmann::json::parse(spec_json);
    const Variant *v = variant(name);
    if (!v && !variants.empty()) v = &variants.front();
    if (v)
        for (const std::string &set : v->sets) {
            const auto eq = set.find('=');
            if (eq == std::string::npos) throw Error("lesson " + id + ": variant " + v->name, "'" + set + "' is not key=value");
            set_by_path(j, set.substr(0, eq), set.substr(eq + 1));
        }
    return parse_spec(j);
}

std::vector<Lesson> parse_lessons(const std::string &catalog, const std::map<std::string, std::string> &spec_files) {
    std::vector<Lesson> lessons;
    try {
        const nlohmann::json j = nlohmann::json::parse(catalog);
        auto text = [](const nlohmann::json &t) { return LessonText{t.at("en").get<std::string>(), t.value("zh", "")}; };
        for (const nlohmann::json &l : j.at("lessons")) {
            Lesson lesson;
            lesson.id = l.at("id").get<std::string>();
            lesson.title = text(l.at("title"));
            lesson.text = text(l.at("text"));
            const std::string file = l.at("spec").get<std::string>();
            auto found = spec_files.find(file);
            if (found == spec_files.end()) throw Error("lesson " + lesson.id, "its spec " + file + " is missing");
            lesson.spec_json = found->second;
            for (const nlohmann::json &v : l.at("variants"))
                lesson.variants.push_back({v.at("name").get<std::string>(), text(v.at("label")), v.at("set").get<std::vector<std::string>>()});
            for (const Lesson::Variant &v : lesson.variants) lesson.spec(v.name); // every variant a valid spec
            lessons.push_back(std::move(lesson));
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error("lessons.json", e.what());
    }
    return lessons;
}

} // namespace liandan
