// The test-engine hooks of Dear ImGui (imgui_internal.h, "Test Engine specific hooks"): ItemAdd
// gives every item's rectangle, ItemInfo the label of those that have one.
#include "ui/widget_locator.h"

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstring>
#include <unordered_map>

#include <imgui.h>
#include <imgui_internal.h>

namespace {

struct Frame {
    std::unordered_map<ImGuiID, ImRect> rects; // items added this frame
    std::vector<WidgetRect> widgets;
};
Frame g_building, g_done;

// An English label of trl ("Play###Play") is reported as "Play": the ID repeats the text.
std::string reported(const std::string &label) {
    const size_t ids = label.find("###");
    if (ids != std::string::npos && label.compare(ids + 3, std::string::npos, label, 0, ids) == 0) return label.substr(0, ids);
    return label;
}

// Whether a part of a window's path is an English label of trl: "Playground###Playground", or a
// child window's "Network###Network_BF1F25BE" (ImGui appends "_" and 8 hex digits of its ID).
bool english_part(const std::string &piece, size_t ids) {
    const size_t n = ids, rest = piece.size() - ids - 3;
    if (piece.compare(ids + 3, n, piece, 0, n) != 0) return false; // the ID begins with the text
    if (rest == n) return true;
    return rest == n + 9 && piece[ids + 3 + n] == '_' &&
           std::all_of(piece.end() - 8, piece.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// A window's path part by part, each English part as its ID says: a child window of the narrow
// layout, "Playground###Playground/Network###Network_BF1F25BE", as "Playground/Network_BF1F25BE".
// Translated parts keep their text, as translated labels do.
std::string reported_window(const char *name) {
    if (std::string whole = reported(name); whole != name) return whole; // "A/B###A/B": one label
    std::string out;
    for (const char *part = name;;) {
        const char *slash = std::strchr(part, '/');
        const std::string piece = slash ? std::string(part, slash) : std::string(part);
        const size_t ids = piece.find("###");
        out += ids != std::string::npos && english_part(piece, ids) ? piece.substr(ids + 3) : piece;
        if (!slash) return out;
        out += '/';
        part = slash + 1;
    }
}

} // namespace

void widget_locator_enable() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void widget_locator_new_frame() {
    g_done.widgets.swap(g_building.widgets);
    g_building.widgets.clear();
    g_building.rects.clear();
}

const std::vector<WidgetRect> &widget_locator_widgets() { return g_done.widgets; }

const WidgetRect *widget_locator_find(const std::string &name) {
    for (const WidgetRect &w : g_done.widgets)
        if (w.label == name) return &w;
    for (const WidgetRect &w : g_done.widgets)
        if (w.text == name) return &w;
    for (const WidgetRect &w : g_done.widgets) // a translated control by its English name ("运行###Play")
        if (w.label.size() > name.size() + 3 && w.label.compare(w.label.size() - name.size() - 3, std::string::npos, "###" + name) == 0) return &w;
    return nullptr;
}

void ImGuiTestEngineHook_ItemAdd(ImGuiContext *, const ImRect &bb, ImGuiID id) { g_building.rects[id] = bb; }

void ImGuiTestEngineHook_ItemInfo(ImGuiContext *ctx, ImGuiID id, const char *label, ImGuiItemStatusFlags flags) {
    if (!label || !*label) return;
    auto it = g_building.rects.find(id);
    if (it == g_building.rects.end()) return;
    const ImRect &r = it->second;
    const ImGuiWindow *window = ctx->CurrentWindow;
    // Only what is visible can be clicked: skip items scrolled or clipped out of their window.
    if (window && !window->ClipRect.Overlaps(r)) return;
    WidgetRect w;
    w.label = reported(label);
    const char *hidden = std::strstr(label, "##");
    w.text = hidden ? std::string(label, hidden) : w.label;
    w.window = window ? reported_window(window->Name) : "";
    w.x = r.Min.x, w.y = r.Min.y, w.w = r.GetWidth(), w.h = r.GetHeight();
    w.checked = (flags & ImGuiItemStatusFlags_Checked) != 0;
    g_building.widgets.push_back(std::move(w));
}

void ImGuiTestEngineHook_Log(ImGuiContext *, const char *, ...) {}

const char *ImGuiTestEngine_FindItemDebugLabel(ImGuiContext *, ImGuiID) { return nullptr; }

void widget_locator_name_last_item(const char *label) {
    ImGuiContext &g = *ImGui::GetCurrentContext();
    g_building.rects[g.LastItemData.ID] = g.LastItemData.Rect;
    ImGuiTestEngineHook_ItemInfo(&g, g.LastItemData.ID, label, g.LastItemData.StatusFlags);
}

void widget_locator_add(const char *label, float x, float y, float w, float h) {
    ImGuiWindow *window = ImGui::GetCurrentContext()->CurrentWindow;
    if (window && !window->ClipRect.Overlaps(ImRect(x, y, x + w, y + h))) return;
    WidgetRect r;
    r.label = r.text = label;
    r.window = window ? reported_window(window->Name) : "";
    r.x = x, r.y = y, r.w = w, r.h = h;
    g_building.widgets.push_back(std::move(r));
}

namespace {
void label_id(ImGuiID id, const char *label, const char *window) {
    auto it = g_building.rects.find(id);
    if (it == g_building.rects.end()) return;
    WidgetRect w;
    w.label = reported(label);
    const char *hidden = std::strstr(label, "##");
    w.text = hidden ? std::string(label, hidden) : w.label;
    w.window = reported_window(window);
    w.x = it->second.Min.x, w.y = it->second.Min.y, w.w = it->second.GetWidth(), w.h = it->second.GetHeight();
    g_building.widgets.push_back(std::move(w));
}
} // namespace

bool begin_combo(const char *label, const char *preview, int flags) {
    const ImGuiID id = ImGui::GetID(label);
    const std::string window = ImGui::GetCurrentWindow()->Name;
    const bool open = ImGui::BeginCombo(label, preview, flags);
    label_id(id, label, window.c_str());
    return open;
}

bool combo(const char *label, int *current, const char *const items[], int count) {
    const ImGuiID id = ImGui::GetID(label);
    const std::string window = ImGui::GetCurrentWindow()->Name;
    const bool changed = ImGui::Combo(label, current, items, count);
    label_id(id, label, window.c_str());
    return changed;
}
