// The real data sets in the data panel (data/catalog.h): a menu with a strip of sample images (or
// a table's shape), their size and what each teaches; the page's fetch with its progress; and, for
// the set in use, the networks proposed for it one click away.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <imgui.h>

#include "data/catalog.h"
#include "data/dataset.h"
#include "data/idx.h"
#include "ui/heatmap_atlas.h"
#include "ui/widget_locator.h"
#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

// The sample strips: ten images a set (one of each class), read once the file is there (the page
// fetches the strips when it starts; natively scripts/fetch-data made them).
class SampleStrips {
public:
    // The first tile of the set's strip, or -1 while its file is missing.
    int first_tile(const liandan::NamedSet &set) {
        auto it = first_.find(set.name);
        if (it != first_.end()) return it->second;
        const std::string path = liandan::data_root() + "/" + liandan::samples_file(set);
        // Looked for at every frame drawn (a stat), so the strip shows in the frame its fetch ends;
        // a file that is there but unreadable is tried again a second later.
        if (std::error_code e; !std::filesystem::exists(path, e) || ImGui::GetTime() < retry_time_[set.name]) return -1;
        retry_time_[set.name] = ImGui::GetTime() + 1.0;
        std::vector<uint8_t> bytes;
        liandan::IdxHeader h;
        try {
            bytes = liandan::read_idx(path, h);
        } catch (const liandan::Error &) {
            return -1;
        }
        if (h.dims.size() != 3 || h.dims[0] < 10 || h.dims[1] != 28 || h.dims[2] != 28) return -1;
        const int first = int(first_.size()) * 10;
        if (atlas_.count() < first + 10) atlas_.reshape(28, first + 10 + 10);
        std::vector<uint32_t> pixels(28 * 28);
        for (int i = 0; i < 10; ++i) {
            for (int p = 0; p < 28 * 28; ++p) {
                const uint8_t ink = bytes[size_t(i) * 28 * 28 + size_t(p)];
                const uint8_t v = uint8_t(255 - ink); // dark ink on paper, as the sets are drawn
                pixels[size_t(p)] = IM_COL32(v, v, v, 255);
            }
            atlas_.set_tile(first + i, pixels.data());
        }
        atlas_.upload();
        return first_[set.name] = first;
    }
    void draw(ImDrawList *dl, int tile, ImVec2 a, float side) const { atlas_.draw(dl, tile, a, {a.x + side, a.y + side}); }
    void release() {
        atlas_.release();
        first_.clear();
    }

private:
    HeatmapAtlas atlas_;
    std::map<std::string, int> first_;
    std::map<std::string, double> retry_time_;
};
SampleStrips g_strips;

// A table's glyph: a small grid, its header row shaded.
void draw_table_glyph(ImDrawList *dl, ImVec2 a, float side) {
    const ImU32 line = IM_COL32(120, 120, 120, 255);
    const float w = 3 * side;
    dl->AddRectFilled(a, {a.x + w, a.y + side * 0.28f}, IM_COL32(210, 210, 210, 255));
    for (int r = 0; r <= 3; ++r) dl->AddLine({a.x, a.y + side * (0.28f + 0.24f * r)}, {a.x + w, a.y + side * (0.28f + 0.24f * r)}, line);
    for (int c = 0; c <= 4; ++c) dl->AddLine({a.x + w / 4 * c, a.y}, {a.x + w / 4 * c, a.y + side}, line);
    dl->AddLine(a, {a.x + w, a.y}, line);
}

void fetch_progress(ViewContext &ctx) {
    const FetchProgress &f = *ctx.fetch;
    char text[128];
    if (f.total_mb > 0) std::snprintf(text, sizeof text, tr("%.1f of %.1f MB"), f.loaded_mb, f.total_mb);
    else std::snprintf(text, sizeof text, "%s", tr("asking the server"));
    ImGui::Text(tr("Loading %s"), tr(f.title.c_str())); // the set's title, as the catalog marks it
    ImGui::ProgressBar(f.total_mb > 0 ? float(f.loaded_mb / f.total_mb) : 0.0f, {-1, 0}, text);
    widget_locator_name_last_item("data progress");
    if (ImGui::Button(trl("Cancel loading"))) ctx.commands.cancel_data_fetch();
    item_tooltip("The experiment in force goes on while the files arrive; they are kept by the browser for the next visit.");
}

// One row of the menu: a few samples (or a table's glyph) and the title; the tooltip says what the
// set holds and what it teaches.
void menu_row(const liandan::NamedSet &set, ViewContext &ctx, bool selected) {
    const float side = std::floor(ImGui::GetTextLineHeight() * 1.15f), pad = 2;
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PushID(set.name);
    if (ImGui::Selectable("##set", selected, 0, {width, side + 2 * pad}) && !selected) {
        const liandan::Spec &current = ctx.spec;
        const liandan::NamedSet *now = liandan::named_set(current.data.source);
        // From one image set to another the network stays (it fits both); otherwise the set's own.
        liandan::Spec next = liandan::proposed_spec(set, set.presets[0], current);
        if (now && now->images && set.images) {
            next.model = current.model;
            next.loss = current.loss;
            next.optimizer = current.optimizer;
            next.init = current.init;
            next.train = current.train;
        }
        ctx.commands.load(next);
    }
    widget_locator_name_last_item(set.title);
    const std::string about = trf("{0}.\n{1}", {tr(set.size), tr(set.teaches)});
    item_tooltip(about.c_str());
    ImDrawList *dl = ImGui::GetWindowDrawList();
    constexpr int k_samples = 5;
    if (set.images) {
        if (const int tile = g_strips.first_tile(set); tile >= 0)
            for (int i = 0; i < k_samples; ++i) g_strips.draw(dl, tile + i, {a.x + pad + i * (side + 1), a.y + pad}, side);
    } else {
        draw_table_glyph(dl, {a.x + pad, a.y + pad}, side);
    }
    const float text_x = a.x + pad + k_samples * (side + 1) + ImGui::GetStyle().ItemSpacing.x;
    dl->AddText({text_x, a.y + pad + (side - ImGui::GetTextLineHeight()) / 2}, ImGui::GetColorU32(ImGuiCol_Text), tr(set.title));
    ImGui::PopID();
}

} // namespace

void release_named_sets_textures() { g_strips.release(); }

void draw_named_sets_view(ViewContext &ctx) {
    const liandan::NamedSet *current = liandan::named_set(ctx.spec.data.source);
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("Real data"));
    if (ctx.fetch) fetch_progress(ctx);
    for (const liandan::NamedSet &set : liandan::named_sets()) menu_row(set, ctx, &set == current);
}

void draw_named_set_networks(ViewContext &ctx) {
    const liandan::NamedSet *set = liandan::named_set(ctx.spec.data.source);
    if (!set) return;
    text_wrapped(tr(set->teaches));
    ImGui::TextUnformatted(tr("Network:"));
    for (const liandan::NetworkPreset &p : set->presets) {
        same_line_if_fits(button_width(trl(p.title)));
        if (ImGui::Button(trl(p.title))) ctx.commands.load(liandan::with_network_preset(ctx.spec, p));
        item_tooltip(p.about); // translated there (the catalog marks it)
    }
}
