// The catalog of translations, looked up by the English text (tr.h).
#include "i18n/tr.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace {
std::string g_language = "en";
std::map<std::string, std::unordered_map<std::string, std::string>> g_catalogs; // language -> English -> text
std::unordered_map<std::string, std::string> g_labels; // English -> "text###English", made once each
int g_generation = 0; // changes with the language and each catalog loaded
// Message templates ("Opened {0}: epoch {1}"): those of messages.json by language, and those msgf
// has made. Only these are matched: the views' trf templates ("layer {0}") would fit any message.
std::map<std::string, std::set<std::string>> g_file_templates;
std::set<std::string> g_msgf_templates;
} // namespace

const std::string &ui_language() { return g_language; }

void set_ui_language(const std::string &language) {
    g_language = language == "zh" ? "zh" : "en";
    g_labels.clear();
    ++g_generation;
}

std::string load_ui_catalog(const std::string &language, const std::string &json, const std::string &messages_json) {
    std::unordered_map<std::string, std::string> catalog;
    std::set<std::string> templates;
    try {
        const nlohmann::json texts = nlohmann::json::parse(json);
        if (!texts.is_object()) return "the " + language + " catalog is not an object of texts";
        for (auto it = texts.begin(); it != texts.end(); ++it) catalog[it.key()] = it.value().get<std::string>();
        if (!messages_json.empty()) {
            const nlohmann::json messages = nlohmann::json::parse(messages_json); // kept: items() refers into it
            for (const auto &[group, list] : messages.at("templates").items())
                for (const auto &t : list) templates.insert(t.get<std::string>());
        }
    } catch (const nlohmann::json::exception &e) {
        return "the " + language + " catalog is not an object of texts: " + e.what();
    }
    g_file_templates[language] = std::move(templates);
    g_catalogs[language] = std::move(catalog);
    g_labels.clear();
    ++g_generation;
    return "";
}

bool ui_catalog_loaded(const std::string &language) { return g_catalogs.count(language) > 0; }

const char *tr(const char *english) {
    if (g_language == "en") return english;
    auto catalog = g_catalogs.find(g_language);
    if (catalog == g_catalogs.end()) return english;
    auto found = catalog->second.find(english);
    return found == catalog->second.end() ? english : found->second.c_str();
}

const char *trl(const char *english) {
    // "Data###Data" in English too: ImGui hashes a label from its "###" on, so only then does a
    // section or tab keep its open state across a language switch.
    auto [it, made] = g_labels.try_emplace(english);
    if (made) it->second = std::string(tr(english)) + "###" + english;
    return it->second.c_str();
}

std::vector<std::string> ui_catalog_texts() {
    std::vector<std::string> texts;
    if (auto catalog = g_catalogs.find(g_language); catalog != g_catalogs.end())
        for (const auto &[english, text] : catalog->second) texts.push_back(text);
    return texts;
}

namespace {
// "{0}" ... in `text` replaced by values[0] ...
std::string fill(std::string_view text, const std::vector<std::string> &values) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9' && text[i + 2] == '}') {
            const size_t k = size_t(text[i + 1] - '0');
            if (k < values.size()) out += values[k];
            i += 2;
        } else out += text[i];
    }
    return out;
}

// The values of `text` made from `pattern` ("{0}" ... stand for any text, each used once), or
// nothing when it was not. Each placeholder takes the shortest text before the next literal part.
std::optional<std::vector<std::string>> match(const std::string &pattern, const std::string &text) {
    std::vector<std::string> values(10);
    size_t lit = 0, search = 0, t = 0; // where the literal part starts, where to look for a value, the text read so far
    int pending = -1;                  // the placeholder waiting for the next literal part
    for (;;) {
        const size_t open = pattern.find('{', search);
        const bool slot = open != std::string::npos && open + 2 < pattern.size() && pattern[open + 1] >= '0' &&
                          pattern[open + 1] <= '9' && pattern[open + 2] == '}';
        if (open != std::string::npos && !slot) { // a literal brace: part of the literal text
            search = open + 1;
            continue;
        }
        const size_t end = open == std::string::npos ? pattern.size() : open;
        const std::string_view literal(pattern.data() + lit, end - lit);
        if (pending >= 0) {
            // The last literal part must end the text; the others are found after the value.
            const size_t at = end == pattern.size() ? (text.size() >= literal.size() &&
                                                       text.compare(text.size() - literal.size(), literal.size(), literal) == 0
                                                           ? text.size() - literal.size() : std::string::npos)
                                                    : text.find(literal, t + 1);
            if (at == std::string::npos || at <= t) return std::nullopt;
            values[size_t(pending)] = text.substr(t, at - t);
            t = at;
        } else if (text.compare(t, literal.size(), literal) != 0) return std::nullopt;
        t += literal.size();
        if (end == pattern.size()) return t == text.size() ? std::optional(values) : std::nullopt;
        pending = pattern[open + 1] - '0';
        lit = search = open + 3;
    }
}
} // namespace

std::string msgf(const char *english_template, std::initializer_list<std::string> values) {
    if (g_msgf_templates.insert(english_template).second) ++g_generation; // a message may now be matched
    return fill(english_template, values);
}

std::string trf(const char *english_template, std::initializer_list<std::string> values) {
    return fill(tr(english_template), values);
}

std::string tr_message(const std::string &english) {
    if (g_language == "en" || english.empty()) return english;
    if (const char *text = tr(english.c_str()); text != english.c_str() && english != text) return text;
    // The status bar asks each frame: the last answer is kept until the text or the catalog changes.
    static std::string last_in, last_out;
    static int last_generation = -1;
    if (english == last_in && g_generation == last_generation) return last_out;
    std::string out = english;
    // The template with the most fixed text first: "URL lesson: {0}" before "URL {0}".
    static std::vector<const std::string *> order;
    static int order_generation = -1;
    if (order_generation != g_generation) {
        order.clear();
        for (const auto *set : {&g_file_templates[g_language], &g_msgf_templates})
            for (const std::string &t : *set) order.push_back(&t);
        auto fixed = [](const std::string &t) { return t.size() - 3 * size_t(std::count(t.begin(), t.end(), '{')); };
        std::stable_sort(order.begin(), order.end(), [&](const std::string *a, const std::string *b) { return fixed(*a) > fixed(*b); });
        order_generation = g_generation;
    }
    for (const std::string *t : order) {
        const std::string &pattern = *t;
        const char *translated = tr(pattern.c_str());
        if (translated == pattern.c_str()) continue; // no translation: nothing to gain from matching
        if (auto values = match(pattern, english)) {
            for (std::string &v : *values)
                if (const char *value = tr(v.c_str()); value != v.c_str()) v = value;
            out = fill(translated, *values);
            break;
        }
    }
    last_in = english, last_out = out, last_generation = g_generation;
    return out;
}
