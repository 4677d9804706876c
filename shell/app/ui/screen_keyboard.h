// A phone's or tablet's own keyboard for ImGui's text fields. A browser shows its on-screen
// keyboard only for a focused text element, and the app draws its fields on a canvas. So while a
// field that a finger made active stays active, the page focuses a hidden text input and keeps it
// a copy of the field's text and selection (web/screen-keyboard.js); what the keyboard changes
// there comes back as a range of the field's text replaced. A hardware keyboard's keys still reach
// ImGui through SDL, and a field a mouse made active gets no such copy.
#pragma once
#include <imgui.h>

#include "platform.h"

// Call after a widget that takes a number (InputInt, InputFloat, ...): while it is active the
// keyboard offers digits, and the page's edits keep to the characters ImGui accepts for numbers.
void mark_numeric_field();

// Replaces characters [start, end) of the active text field (UTF-16 units, as the page's input
// counts them) with `utf8`, and puts the cursor after it. ImGui writes the field's text back to
// its value in the next frame, as for a key typed. False when no text field is active.
bool replace_in_active_field(int start, int end, const char *utf8);

class ScreenKeyboard {
public:
    // After each frame, with whether the last pointer event came from a finger and whether input
    // waits for a later frame (the field is then not yet what the page's copy holds): tells the
    // page (platform_mirror_text_field) when the field to mirror or its contents changed.
    void after_frame(bool finger, bool input_waiting);

private:
    TextFieldMirror sent_;
    ImGuiID field_ = 0;     // the text field active in the last frame
    bool by_finger_ = false; // a finger made it active
};
