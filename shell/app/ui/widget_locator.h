// Where each labelled widget was drawn in the last frame, so tests (Playwright on the page, the
// native driver under Xvfb) can click the real controls by their labels, as a person would.
// Filled by ImGui's test-engine hooks; costs a map insert per labelled widget per frame.
#pragma once
#include <string>
#include <vector>

struct WidgetRect {
    std::string label;  // the full ImGui label ("Add layer", "+##units 2"); the id part after ## included
    std::string text;   // what the user reads: the label up to "##"
    std::string window; // the ImGui window it sits in
    float x = 0, y = 0, w = 0, h = 0; // in window (CSS) pixels, origin at the top left
    bool checked = false; // checkboxes, radio buttons and selectables that are on
};

void widget_locator_enable();   // after ImGui::CreateContext
void widget_locator_new_frame(); // before ImGui::NewFrame: the previous frame's widgets become current
const std::vector<WidgetRect> &widget_locator_widgets(); // those of the last complete frame
// The widget whose full label, or else visible text, equals name; null if none was drawn.
const WidgetRect *widget_locator_find(const std::string &name);
// Registers the last item under a label: for widgets ImGui reports without one (InvisibleButton).
void widget_locator_name_last_item(const char *label);
// Registers a drawn area that is no ImGui item (a unit's map in the network picture).
void widget_locator_add(const char *label, float x, float y, float w, float h);
// ImGui 1.86's combos report no label to the hooks: these call them and label the combo box.
bool begin_combo(const char *label, const char *preview, int flags = 0);
bool combo(const char *label, int *current, const char *const items[], int count);
