// The catalog of translations, looked up by the English text (tr.h).
#include "i18n/tr.h"

#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace {
std::string g_language = "en";
std::map<std::string, std::unordered_map<std::string, std::string>> g_catalogs; // language -> English -> text
std::unordered_map<std::string, std::string> g_labels; // English -> "text###English", made once each
} // namespace

const std::string &ui_language() { return g_language; }

void set_ui_language(const std::string &language) {
    g_language = language == "zh" ? "zh" : "en";
    g_labels.clear();
}

std::string load_ui_catalog(const std::string &language, const std::string &json) {
    std::unordered_map<std::string, std::string> catalog;
    try {
        const nlohmann::json texts = nlohmann::json::parse(json);
        if (!texts.is_object()) return "the " + language + " catalog is not an object of texts";
        for (auto it = texts.begin(); it != texts.end(); ++it) catalog[it.key()] = it.value().get<std::string>();
    } catch (const nlohmann::json::exception &e) {
        return "the " + language + " catalog is not an object of texts: " + e.what();
    }
    g_catalogs[language] = std::move(catalog);
    g_labels.clear();
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
    const char *text = tr(english);
    if (text == english) return english;
    auto [it, made] = g_labels.try_emplace(english);
    if (made) it->second = std::string(text) + "###" + english;
    return it->second.c_str();
}

std::vector<std::string> ui_catalog_texts() {
    std::vector<std::string> texts;
    if (auto catalog = g_catalogs.find(g_language); catalog != g_catalogs.end())
        for (const auto &[english, text] : catalog->second) texts.push_back(text);
    return texts;
}
