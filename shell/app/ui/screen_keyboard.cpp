// See screen_keyboard.h.
#include "ui/screen_keyboard.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <imgui_internal.h>

static_assert(sizeof(ImWchar) == 2, "field positions are UTF-16 units, as ImWchar16 counts them");

namespace {

ImGuiID g_numeric_field = 0; // the last number field seen active
bool g_copy_differs = false;  // an edit was not taken whole: the page's copy is to be sent again

// What ImGui's number fields accept (ImGuiInputTextFlags_CharsScientific). A keyboard whose
// locale writes a decimal comma gives ',' for the decimal key.
bool number_character(ImWchar c) { return (c >= '0' && c <= '9') || std::strchr(".+-*/eE", int(c)) != nullptr; }

ImGuiInputTextState *active_field() {
    ImGuiContext &g = *ImGui::GetCurrentContext();
    return g.ActiveId ? ImGui::GetInputTextState(g.ActiveId) : nullptr;
}

} // namespace

void mark_numeric_field() {
    if (ImGui::IsItemActive()) g_numeric_field = ImGui::GetCurrentContext()->ActiveId;
}

bool replace_in_active_field(int start, int end, const char *utf8) {
    ImGuiInputTextState *s = active_field();
    if (!s) return false;
    const int length = s->CurLenW;
    start = std::clamp(start, 0, length);
    end = std::clamp(end, start, length);
    std::vector<ImWchar> typed(std::strlen(utf8) + 1);
    typed.resize(size_t(ImTextStrFromUtf8(typed.data(), int(typed.size()), utf8, nullptr)));
    const bool numeric = s->ID == g_numeric_field;
    std::vector<ImWchar> kept;
    for (ImWchar c : typed) {
        if (numeric && c == ',') c = '.';
        if (c == '\n' || c == '\r' || (numeric && !number_character(c))) continue; // a one-line field; Enter is a key
        kept.push_back(c);
    }
    // A character a number field refuses is ignored, as ImGui ignores its key (it does not replace
    // the selection either).
    if (!typed.empty() && kept.empty()) {
        g_copy_differs = true;
        return true;
    }
    // The field's value holds BufCapacityA - 1 bytes of UTF-8: what does not fit is dropped, as
    // ImGui drops typed keys.
    const int room = s->BufCapacityA - 1 - (s->CurLenA - ImTextCountUtf8BytesFromStr(s->TextW.Data + start, s->TextW.Data + end));
    int fits = 0;
    for (int bytes = 0; fits < int(kept.size()); ++fits) {
        bytes += ImTextCountUtf8BytesFromStr(&kept[size_t(fits)], &kept[size_t(fits)] + 1);
        if (bytes > room) break;
    }
    g_copy_differs = fits < int(typed.size());
    std::vector<ImWchar> text(s->TextW.Data, s->TextW.Data + length);
    text.erase(text.begin() + start, text.begin() + end);
    text.insert(text.begin() + start, kept.begin(), kept.begin() + fits);
    // TextW's size is the field's capacity (ImGui sizes it so); the text ends with a 0.
    if (s->TextW.Size < int(text.size()) + 1) s->TextW.resize(int(text.size()) + 1);
    std::copy(text.begin(), text.end(), s->TextW.Data);
    s->TextW[int(text.size())] = 0;
    s->CurLenW = int(text.size());
    s->CurLenA = ImTextCountUtf8BytesFromStr(s->TextW.Data, s->TextW.Data + s->CurLenW);
    s->Stb.cursor = s->Stb.select_start = s->Stb.select_end = start + fits;
    s->Stb.has_preferred_x = 0;
    // Undo records point into the text as it was: they go (the keyboard has its own undo).
    s->Stb.undostate.undo_point = s->Stb.undostate.undo_char_point = 0;
    s->Stb.undostate.redo_point = STB_TEXTEDIT_UNDOSTATECOUNT;
    s->Stb.undostate.redo_char_point = STB_TEXTEDIT_UNDOCHARCOUNT;
    s->CursorAnimReset();
    s->CursorFollow = true;
    return true;
}

void ScreenKeyboard::after_frame(bool finger, bool input_waiting) {
    const ImGuiInputTextState *s = active_field();
    const ImGuiID field = s ? s->ID : 0;
    if (field != field_) by_finger_ = field && finger; // the press that made it active was a finger's
    field_ = field;
    TextFieldMirror now;
    if (field && by_finger_) {
        if (input_waiting) return; // keys and text not yet handed to ImGui: the page's copy is ahead
        now.active = true;
        now.numeric = field == g_numeric_field;
        std::vector<char> text(size_t(s->CurLenA) + 1);
        ImTextStrToUtf8(text.data(), int(text.size()), s->TextW.Data, s->TextW.Data + s->CurLenW);
        now.text = text.data();
        now.select_start = std::min(s->Stb.select_start, s->Stb.select_end);
        now.select_end = std::max(s->Stb.select_start, s->Stb.select_end);
        if (now.select_start == now.select_end) now.select_start = now.select_end = s->Stb.cursor;
        const ImVec2 at = ImGui::GetIO().MouseClickedPos[0];
        now.x = at.x;
        now.y = at.y;
    }
    if (now == sent_ && !g_copy_differs) return;
    g_copy_differs = false;
    sent_ = now;
    platform_mirror_text_field(now);
}
