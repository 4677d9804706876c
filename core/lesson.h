// Lessons (assets/lessons/lessons.json): a spec and a short text, in English and Chinese, and
// variants of the spec to compare (the spec's keys set as liandan-train --set sets them). The app
// opens them from its Lessons menu and from links (lesson=<id>); tests/cli/lessons.test.mjs checks
// that each lesson's stated effect happens.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "spec.h"

namespace liandan {

struct LessonText {
    std::string en, zh;
    const std::string &in(const std::string &language) const { return language == "zh" && !zh.empty() ? zh : en; }
};

struct Lesson {
    struct Variant {
        std::string name;
        LessonText label;
        std::vector<std::string> sets; // "key=value", as --set takes them
    };
    std::string id;
    LessonText title, text;
    std::string spec_json; // the lesson's spec file
    std::vector<Variant> variants;

    const Variant *variant(const std::string &name) const; // null when there is none of that name
    // The spec with a variant's settings ("" or an unknown name: the first variant's); Error names a bad one.
    Spec spec(const std::string &variant = "") const;
};

// The catalog (lessons.json's text) with each lesson's spec file text by file name; Error names
// the lesson and key at fault.
std::vector<Lesson> parse_lessons(const std::string &catalog, const std::map<std::string, std::string> &spec_files);

} // namespace liandan
