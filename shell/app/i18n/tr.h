// The interface in English (the text in the code) and Simplified Chinese (assets/i18n/zh.json, the
// English text as the key). The page fetches the catalog after its first frame when it is wanted
// (web/liandan.js); natively it is read from the source tree's assets. Text without a translation
// shows in English.
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

// "en" or "zh".
const std::string &ui_language();
void set_ui_language(const std::string &language);
// A catalog's JSON (an object of English -> translated text), and assets/i18n/messages.json (the
// templates messages are matched against; "" for none); "" or what is wrong with them.
std::string load_ui_catalog(const std::string &language, const std::string &json, const std::string &messages_json = "");
bool ui_catalog_loaded(const std::string &language);

// The text in the language in force.
const char *tr(const char *english);
// A widget's label: the text in the language in force with the English as its ID ("播放###Play",
// "Play###Play"), so a widget keeps its state and its name for tests whatever the language.
const char *trl(const char *english);
// A text made from a template and its values in order: "Opened {0}: epoch {1}". The English is
// kept (messages stay English for the page API and logs); tr_message shows it translated, matching
// it against the templates msgf has made and those of assets/i18n/messages.json (the core's).
std::string msgf(const char *english_template, std::initializer_list<std::string> values);
// The same made in the language in force at once (texts of the views, made each frame).
std::string trf(const char *english_template, std::initializer_list<std::string> values);
// A message in the language in force: its catalog text, else the catalog text of the message
// template it fits (the one with the most fixed text first), with the values put back (themselves
// translated when the catalog has them whole).
std::string tr_message(const std::string &english);
// Every translated text of the catalog in force (the glyph check).
std::vector<std::string> ui_catalog_texts();
