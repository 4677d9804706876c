// The interface in English (the text in the code) and Simplified Chinese (assets/i18n/zh.json, the
// English text as the key). The page fetches the catalog after its first frame when it is wanted
// (web/liandan.js); natively it is read from the source tree's assets. Text without a translation
// shows in English.
#pragma once
#include <string>
#include <vector>

// "en" or "zh".
const std::string &ui_language();
void set_ui_language(const std::string &language);
// A catalog's JSON (an object of English -> translated text); "" or what is wrong with it.
std::string load_ui_catalog(const std::string &language, const std::string &json);
bool ui_catalog_loaded(const std::string &language);

// The text in the language in force.
const char *tr(const char *english);
// A widget's label: the translated text with the English as its ID ("播放###Play"), so a widget
// keeps its state and its name for tests whatever the language.
const char *trl(const char *english);
// Every translated text of the catalog in force (the glyph check).
std::vector<std::string> ui_catalog_texts();
