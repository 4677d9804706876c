// The views of image data, below the layer stack: samples with their labels, the test confusion
// matrix as a heat map whose cells open their images, the misclassified test images with their
// top three probabilities, what the network does with one image (every conv filter and every
// layer's activation maps, as it trains), and a drawing pad prepared as MNIST's digits were.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>

#include <imgui.h>

#include "data/augment.h"
#include "data/digit_pad.h"
#include "ui/touch_input.h"
#include "ui/widget_locator.h"
#include "util/error.h"
#include "util/rng.h"
#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

constexpr int k_pad_side = 112; // the drawing pad's cells (4 per MNIST pixel)

ImU32 ink(float v) { // paper white to black ink, as the digits are drawn on paper
    const int c = int(std::lround(255.0f * (1.0f - std::clamp(v, 0.0f, 1.0f))));
    return IM_COL32(c, c, c, 255);
}

// One sample's pixels as a tile of side × side: the features back in 0..1 (undoing the data's
// normalization), ink for one channel, colour for three; smaller images are stretched.
void sample_tile(const liandan::Dataset &d, const float *x, int side, std::vector<uint32_t> &out) {
    const liandan::Shape s = liandan::shape_of(d.sample_shape);
    out.assign(size_t(side) * side, 0);
    auto raw = [&](int i) { return d.feature_scale[size_t(i)] != 0 ? x[i] / d.feature_scale[size_t(i)] + d.feature_offset[size_t(i)] : x[i]; };
    for (int y = 0; y < side; ++y)
        for (int xx = 0; xx < side; ++xx) {
            const int sy = y * s.h / side, sx = xx * s.w / side, at = sy * s.w + sx;
            if (s.c >= 3) {
                auto ch = [&](int c) { return int(std::lround(255 * std::clamp(raw(c * s.h * s.w + at), 0.0f, 1.0f))); };
                out[size_t(y) * side + xx] = IM_COL32(ch(0), ch(1), ch(2), 255);
            } else {
                out[size_t(y) * side + xx] = ink(raw(at));
            }
        }
}

// A map of values as a tile: ink from 0 to hi for non-negative maps, the diverging scale for signed ones.
void value_tile(const float *v, int h, int w, float lo, float hi, int side, std::vector<uint32_t> &out) {
    out.assign(size_t(side) * side, 0);
    const float scale = std::max(std::fabs(lo), std::fabs(hi));
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const float value = v[(y * h / side) * w + x * w / side];
            out[size_t(y) * side + x] = lo >= 0 ? ink(hi > 0 ? value / hi : 0) : palette::signed_value(value, scale > 0 ? scale : 1);
        }
}

std::string class_name(const liandan::Dataset &d, int c) {
    return c >= 0 && c < int(d.class_names.size()) ? d.class_names[size_t(c)] : std::to_string(c);
}

int argmax(const float *p, int k) { return int(std::max_element(p, p + k) - p); }

// The rows' images as the atlas's tiles, 28 × 28 each; filled again only when the rows (or the
// split they come from) differ from those the atlas holds, which atlas_key records.
// augment (with the key of its moves, augment_key): the rows as it moves them, its moves drawn
// for these rows.
void fill_sample_tiles(HeatmapAtlas &atlas, std::string &atlas_key, const liandan::Dataset &d, const liandan::Split &split,
                       const std::vector<int> &rows, liandan::ImageAugmenter *augment = nullptr,
                       const std::string &augment_key = "") {
    constexpr int k_px = 28;
    std::string key = (&split == &d.test ? "test:" : "train:") + augment_key + ":";
    for (int r : rows) key += std::to_string(r) + ",";
    if (key == atlas_key) return;
    atlas_key = key;
    atlas.reshape(k_px, std::max(1, int(rows.size())));
    if (augment) augment->draw(int(rows.size()));
    std::vector<uint32_t> pixels;
    std::vector<float> moved(size_t(d.n_features));
    for (size_t i = 0; i < rows.size(); ++i) {
        const float *x = &split.x[size_t(rows[i]) * size_t(d.n_features)];
        if (augment) augment->apply(int(i), d, x, moved.data()), x = moved.data();
        sample_tile(d, x, k_px, pixels);
        atlas.set_tile(int(i), pixels.data());
    }
    atlas.upload();
}

// A gallery of samples: tiles in rows that fit the width, a caption under each; a click picks one.
// Returns the clicked sample's index, or -1.
int gallery(const char *id, const liandan::Dataset &d, const liandan::Split &split, const std::vector<int> &rows, HeatmapAtlas &atlas,
            std::string &atlas_key, const std::function<std::string(int)> &caption, float tile,
            liandan::ImageAugmenter *augment = nullptr, const std::string &augment_key = "") {
    fill_sample_tiles(atlas, atlas_key, d, split, rows, augment, augment_key);
    const float caption_h = caption ? ImGui::GetTextLineHeight() * 1.1f : 0;
    const float cell_w = std::max(tile, caption ? ImGui::CalcTextSize("0 99%").x : 0.0f) + 6;
    const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / cell_w));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList *dl = ImGui::GetWindowDrawList();
    int clicked = -1;
    for (size_t i = 0; i < rows.size(); ++i) {
        const ImVec2 a{origin.x + float(i % size_t(per_row)) * cell_w, origin.y + float(i / size_t(per_row)) * (tile + caption_h + 6)};
        ImGui::SetCursorScreenPos(a);
        ImGui::PushID(int(i));
        if (ImGui::InvisibleButton(id, {tile, tile})) clicked = rows[i];
        widget_locator_name_last_item(id); // "sample": tests click the first
        ImGui::PopID();
        atlas.draw(dl, int(i), a, {a.x + tile, a.y + tile});
        if (ImGui::IsItemHovered()) dl->AddRect(a, {a.x + tile, a.y + tile}, IM_COL32(40, 90, 200, 255), 0, 0, 2);
        if (caption) {
            const std::string text = caption(rows[i]);
            dl->AddText({a.x, a.y + tile + 1}, ImGui::GetColorU32(ImGuiCol_Text), text.c_str());
        }
    }
    const size_t lines = (rows.size() + size_t(per_row) - 1) / size_t(per_row);
    ImGui::SetCursorScreenPos({origin.x, origin.y + float(lines) * (tile + caption_h + 6)});
    ImGui::Dummy({1, 1});
    return clicked;
}

// Bars of the class probabilities, the most likely first-coloured.
void probability_bars(const liandan::Dataset &d, const std::vector<float> &p) {
    const int top = argmax(p.data(), int(p.size()));
    const float width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 16);
    for (int c = 0; c < int(p.size()); ++c) {
        char text[64];
        std::snprintf(text, sizeof text, "%s %.0f%%", class_name(d, c).c_str(), 100 * p[size_t(c)]);
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, c == top ? palette::positive() : ImGui::GetColorU32(ImGuiCol_PlotHistogram));
        ImGui::ProgressBar(p[size_t(c)], {width, ImGui::GetTextLineHeight()}, text);
        ImGui::PopStyleColor();
    }
}

// Chooses test row `row` for the Inside tab: its features are followed through the network.
void choose(ImageViewsState &st, const liandan::Dataset &d, int row, const ImageViewsSink &sink) {
    st.chosen_test = row;
    st.pad_in_use = false;
    sink.probe(std::vector<float>(&d.test.x[size_t(row) * size_t(d.n_features)], &d.test.x[size_t(row + 1) * size_t(d.n_features)]), ++st.probe_id);
}

void samples_tab(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    const liandan::Dataset &d = *snap.data;
    const liandan::Split &split = st.show_test ? d.test : d.train;
    // A narrow panel (a phone upright) takes the choices on more lines instead of cutting them.
    if (ImGui::RadioButton(trl("Training images"), !st.show_test)) st.show_test = false, st.page = 0;
    same_line_if_fits(checkbox_width(trl("Test images")));
    if (ImGui::RadioButton(trl("Test images"), st.show_test)) st.show_test = true, st.page = 0;
    same_line_if_fits(button_width(trl("Shuffle")));
    if (ImGui::Button(trl("Shuffle"))) ++st.shuffle_seed, st.page = 0;
    item_tooltip("Another random selection; click an image to see what the network does with it (Inside)");
    // The training images as the trainer moves them (train.augment), moves drawn anew with each
    // selection; the trainer draws its own as it goes.
    const liandan::AugmentSpec &aug = snap.spec.train.augment;
    std::optional<liandan::ImageAugmenter> augment;
    if (!st.show_test && aug.on()) {
        same_line_if_fits(checkbox_width(trl("Augmented")));
        ImGui::Checkbox(trl("Augmented"), &st.show_augmented);
        item_tooltip("Shows the training images moved as the training's augmentation moves them: this is what the network "
                     "learns from. Shuffle draws other moves.");
        const liandan::Shape s = liandan::shape_of(d.sample_shape);
        try {
            if (st.show_augmented) augment.emplace(aug, s.c, s.h, s.w, st.shuffle_seed * 1000003u + uint64_t(st.page));
        } catch (const liandan::Error &) { // a shift the trainer refuses too: its message is shown there
        }
    }
    const float tile = ImGui::GetFontSize() * 2.6f;
    const int per_page = std::max(10, int(ImGui::GetContentRegionAvail().x / (tile + 6)) * 4);
    const int pages = std::max(1, (split.n + per_page - 1) / per_page);
    st.page = std::clamp(st.page, 0, pages - 1);
    ImGui::SameLine();
    if (ImGui::ArrowButton("##samples back", ImGuiDir_Left)) st.page = std::max(0, st.page - 1);
    ImGui::SameLine();
    ImGui::Text("%d / %d", st.page + 1, pages);
    ImGui::SameLine();
    if (ImGui::ArrowButton("##samples next", ImGuiDir_Right)) st.page = std::min(pages - 1, st.page + 1);
    // The split in a seeded order (file order while not shuffled), a page at a time.
    std::vector<int> order(size_t(split.n));
    std::iota(order.begin(), order.end(), 0);
    if (st.shuffle_seed) {
        liandan::Rng rng(st.shuffle_seed, 0x5a3u);
        liandan::shuffle(order.data(), order.size(), rng);
    }
    const std::vector<int> rows(order.begin() + std::min(split.n, st.page * per_page), order.begin() + std::min(split.n, (st.page + 1) * per_page));
    const std::string augment_key = augment ? "shift " + std::to_string(aug.shift) + (aug.flip ? " flip " : " ") +
                                                  std::to_string(st.shuffle_seed)
                                            : "";
    const int clicked = gallery("sample", d, split, rows, st.samples_atlas, st.samples_key,
                                [&](int r) { return class_name(d, int(split.y[size_t(r)])); }, tile,
                                augment ? &*augment : nullptr, augment_key);
    if (clicked >= 0 && st.show_test) choose(st, d, clicked, sink), st.open_inside = true;
}

// The test images' galleries need every test row scored (Snapshot::test_rows_sampled): said so.
void say_pictures_need_every_row() {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped(tr("No images here: this network is too costly to score every test image in each snapshot, and the counts come "
                    "from a sample of them (Curves says how many)"));
    ImGui::PopStyleColor();
}

void confusion_tab(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    const liandan::Dataset &d = *snap.data;
    const int k = d.n_classes;
    const auto &cm = snap.metrics.confusion_test;
    if (int(cm.size()) != k * k) return;
    if (snap.test_rows_sampled()) say_pictures_need_every_row();
    else ImGui::TextDisabled("%s", tr("Rows: the actual class; columns: the predicted one. Click a cell for its images."));
    const float label_w = ImGui::CalcTextSize("Ankle boot ").x;
    const float cell = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / float(k), ImGui::GetFontSize() * 1.6f, ImGui::GetFontSize() * 3.0f);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList *dl = ImGui::GetWindowDrawList();
    for (int a = 0; a < k; ++a) {
        int64_t row_total = 0;
        for (int p = 0; p < k; ++p) row_total += cm[size_t(a * k + p)];
        dl->AddText({origin.x, origin.y + float(a) * cell + cell * 0.3f}, ImGui::GetColorU32(ImGuiCol_Text), class_name(d, a).c_str());
        for (int p = 0; p < k; ++p) {
            const int64_t n = cm[size_t(a * k + p)];
            const float share = row_total ? float(n) / float(row_total) : 0;
            const ImVec2 c0{origin.x + label_w + float(p) * cell, origin.y + float(a) * cell};
            // The diagonal in the positive colour, mistakes in the negative one; darker for a larger share of the row.
            const ImU32 base = a == p ? palette::positive() : palette::negative();
            dl->AddRectFilled(c0, {c0.x + cell - 1, c0.y + cell - 1}, n ? palette::lighten(base, 1.0f - std::sqrt(share)) : IM_COL32(248, 248, 248, 255));
            if (a == st.cell_actual && p == st.cell_predicted) dl->AddRect(c0, {c0.x + cell - 1, c0.y + cell - 1}, IM_COL32(0, 0, 0, 255), 0, 0, 2);
            char text[24];
            std::snprintf(text, sizeof text, "%lld", static_cast<long long>(n));
            const ImVec2 ts = ImGui::CalcTextSize(text);
            dl->AddText({c0.x + (cell - ts.x) / 2, c0.y + (cell - ts.y) / 2}, share > 0.5f ? IM_COL32(255, 255, 255, 255) : IM_COL32(20, 20, 20, 255), text);
            ImGui::SetCursorScreenPos(c0);
            char label[40];
            std::snprintf(label, sizeof label, "##confusion %d %d", a, p);
            if (ImGui::InvisibleButton(label, {cell - 1, cell - 1})) st.cell_actual = a, st.cell_predicted = p;
            widget_locator_name_last_item(label + 2);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(tr("%s read as %s: %lld test images"), class_name(d, a).c_str(), class_name(d, p).c_str(), static_cast<long long>(n));
        }
    }
    ImGui::SetCursorScreenPos({origin.x, origin.y + float(k) * cell + 4});
    ImGui::Dummy({1, 1});
    if (st.cell_actual < 0 || st.cell_actual >= k || st.cell_predicted < 0 || st.cell_predicted >= k || snap.test_rows_sampled()) return;
    std::vector<int> rows;
    if (snap.test_probabilities.size() == size_t(d.test.n) * size_t(k))
        for (int r = 0; r < d.test.n; ++r)
            if (int(d.test.y[size_t(r)]) == st.cell_actual && argmax(&snap.test_probabilities[size_t(r) * size_t(k)], k) == st.cell_predicted)
                rows.push_back(r);
    st.cell_count = int(rows.size());
    ImGui::Text(rows.size() > 200 ? tr("%s read as %s: %d images (the first 200)") : tr("%s read as %s: %d images"),
                class_name(d, st.cell_actual).c_str(), class_name(d, st.cell_predicted).c_str(), st.cell_count);
    if (rows.size() > 200) rows.resize(200);
    const int clicked = gallery("cell image", d, d.test, rows, st.cell_atlas, st.cell_key, nullptr, ImGui::GetFontSize() * 2.2f);
    if (clicked >= 0) choose(st, d, clicked, sink), st.open_inside = true;
}

void mistakes_tab(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    const liandan::Dataset &d = *snap.data;
    const int k = d.n_classes;
    if (snap.test_rows_sampled()) return say_pictures_need_every_row();
    if (snap.test_probabilities.size() != size_t(d.test.n) * size_t(k)) return;
    // Wrong answers, the most confident first: those say most about what the network believes.
    std::vector<std::pair<float, int>> wrong;
    for (int r = 0; r < d.test.n; ++r) {
        const float *p = &snap.test_probabilities[size_t(r) * size_t(k)];
        const int guess = argmax(p, k);
        if (guess != int(d.test.y[size_t(r)])) wrong.emplace_back(-p[guess], r);
    }
    std::sort(wrong.begin(), wrong.end());
    ImGui::Text(wrong.size() > 60 ? tr("%zu of %d test images misclassified; the 60 most confident:") : tr("%zu of %d test images misclassified:"),
                wrong.size(), d.test.n);
    std::vector<int> rows;
    for (size_t i = 0; i < wrong.size() && i < 60; ++i) rows.push_back(wrong[i].second);
    // Each with its label and the three most likely classes.
    const float tile = ImGui::GetFontSize() * 3.2f;
    const float cell_w = ImGui::CalcTextSize("Ankle boot 100%").x + tile + 12;
    const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / cell_w));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    int clicked = -1;
    ImDrawList *dl = ImGui::GetWindowDrawList();
    // The tiles drawn by hand, beside their text.
    fill_sample_tiles(st.mistakes_atlas, st.mistakes_key, d, d.test, rows);
    const float line = ImGui::GetTextLineHeight();
    for (size_t i = 0; i < rows.size(); ++i) {
        const ImVec2 a{origin.x + float(i % size_t(per_row)) * cell_w, origin.y + float(i / size_t(per_row)) * (std::max(tile, 4 * line) + 6)};
        ImGui::SetCursorScreenPos(a);
        ImGui::PushID(int(i));
        if (ImGui::InvisibleButton("mistake", {tile, tile})) clicked = rows[i];
        ImGui::PopID();
        st.mistakes_atlas.draw(dl, int(i), a, {a.x + tile, a.y + tile});
        const float *p = &snap.test_probabilities[size_t(rows[i]) * size_t(k)];
        std::vector<int> order(static_cast<size_t>(k));
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + std::min(3, k), order.end(), [&](int x, int y) { return p[x] > p[y]; });
        const std::string truth = trf("is {0}", {class_name(d, int(d.test.y[size_t(rows[i])]))});
        dl->AddText({a.x + tile + 4, a.y}, ImGui::GetColorU32(ImGuiCol_TextDisabled), truth.c_str());
        for (int t = 0; t < std::min(3, k); ++t) {
            char text[64];
            std::snprintf(text, sizeof text, "%s %.0f%%", class_name(d, order[size_t(t)]).c_str(), 100 * p[order[size_t(t)]]);
            dl->AddText({a.x + tile + 4, a.y + line * float(t + 1)}, t == 0 ? palette::error_text : ImGui::GetColorU32(ImGuiCol_Text), text);
        }
    }
    const size_t lines = (rows.size() + size_t(per_row) - 1) / size_t(per_row);
    ImGui::SetCursorScreenPos({origin.x, origin.y + float(lines) * (std::max(tile, 4 * line) + 6)});
    ImGui::Dummy({1, 1});
    if (clicked >= 0) choose(st, d, clicked, sink), st.open_inside = true;
}

// Every conv layer's filters (each the mean of its kernel over the input channels) and every
// layer's output for the chosen input, refilled when the snapshot brings a new probe.
void inside_tab(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    const liandan::Dataset &d = *snap.data;
    if (st.chosen_test < 0 && !st.pad_in_use && d.test.n > 0) choose(st, d, 0, sink);
    const liandan::Probe *probe = snap.probe && snap.probe->id == st.probe_id ? snap.probe.get() : nullptr;
    if (!probe) {
        ImGui::TextDisabled("%s", tr("Following the image through the network…"));
        return;
    }
    constexpr int k_px = 28;
    // Tiles: the input, then per conv layer its filters, then per layer its maps; the rows' titles
    // are made again in another language.
    static std::string titles_language;
    if (st.inside_version != snap.content_version || titles_language != ui_language()) {
        st.inside_version = snap.content_version;
        titles_language = ui_language();
        std::vector<std::vector<uint32_t>> tiles;
        std::vector<uint32_t> pixels;
        sample_tile(d, probe->input.data(), k_px, pixels);
        tiles.push_back(pixels);
        st.inside_rows.clear();
        st.inside_rows.push_back({"input", 0, 1});
        for (const liandan::Probe::LayerOutput &out : probe->layers) {
            const liandan::LayerSpec &l = snap.spec.model.layers[size_t(out.layer)];
            const std::string name = trf("layer {0}", {std::to_string(out.layer + 1)}) + " " + liandan::layer_type_name(l.type);
            if (l.type == liandan::LayerType::conv2d) { // the filters of this layer, from the weights
                const std::string weight = "layers." + std::to_string(out.layer) + ".weight";
                for (const liandan::ParamView &v : snap.param_views)
                    if (v.name == weight && v.shape.size() == 4) {
                        const int o = v.shape[0], c = v.shape[1], kk = v.shape[2];
                        std::vector<float> mean(size_t(kk) * kk);
                        float big = 0;
                        for (size_t i = 0; i < v.size; ++i) big = std::max(big, std::fabs(snap.params[v.offset + i]));
                        const int first = int(tiles.size());
                        for (int f = 0; f < std::min(o, 64); ++f) {
                            std::fill(mean.begin(), mean.end(), 0.0f);
                            for (int ch = 0; ch < c; ++ch)
                                for (int i = 0; i < kk * kk; ++i) mean[size_t(i)] += snap.params[v.offset + size_t((f * c + ch) * kk * kk + i)] / float(c);
                            value_tile(mean.data(), kk, kk, -big, big, k_px, pixels);
                            tiles.push_back(pixels);
                        }
                        const std::string k = std::to_string(kk);
                        st.inside_rows.push_back({c > 1 ? trf("{0}: its {1} filters ({2}×{3}, mean over {4} channels)", {name, std::to_string(o), k, k, std::to_string(c)})
                                                        : trf("{0}: its {1} filters ({2}×{3})", {name, std::to_string(o), k, k}),
                                                  first, int(tiles.size()) - first});
                    }
            }
            const float lo = *std::min_element(out.values.begin(), out.values.end()), hi = *std::max_element(out.values.begin(), out.values.end());
            const int first = int(tiles.size());
            if (out.shape.is_image()) {
                for (int ch = 0; ch < std::min(out.shape.c, 64); ++ch) {
                    value_tile(&out.values[size_t(ch) * size_t(out.shape.h * out.shape.w)], out.shape.h, out.shape.w, lo, hi, k_px, pixels);
                    tiles.push_back(pixels);
                }
                st.inside_rows.push_back({trf("{0}: {1} maps of {2}×{3}", {name, std::to_string(out.shape.c), std::to_string(out.shape.h), std::to_string(out.shape.w)}),
                                          first, int(tiles.size()) - first});
            } else { // a vector: its values as one strip of cells
                const int n = std::min(out.shape.size(), 256);
                value_tile(out.values.data(), 1, n, lo, hi, k_px, pixels);
                st.inside_rows.push_back({trf("{0}: {1} values", {name, std::to_string(out.shape.size())}), first, 1, false});
                std::vector<uint32_t> strip(size_t(k_px) * k_px);
                for (int y = 0; y < k_px; ++y)
                    for (int x = 0; x < k_px; ++x) strip[size_t(y) * k_px + x] = pixels[size_t(x)]; // stretched along x by the tile's width
                tiles.push_back(strip);
            }
        }
        st.inside_atlas.reshape(k_px, int(tiles.size()));
        for (size_t i = 0; i < tiles.size(); ++i) st.inside_atlas.set_tile(int(i), tiles[i].data());
        st.inside_atlas.upload();
    }
    ImDrawList *dl = ImGui::GetWindowDrawList();
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float big = ImGui::GetFontSize() * 5;
    st.inside_atlas.draw(dl, 0, a, {a.x + big, a.y + big});
    ImGui::SetCursorScreenPos({a.x + big + 10, a.y});
    ImGui::BeginGroup();
    if (st.pad_in_use) ImGui::TextDisabled("%s", tr("your drawing"));
    else ImGui::TextDisabled(tr("test image %d, a %s"), st.chosen_test + 1, class_name(d, int(d.test.y[size_t(st.chosen_test)])).c_str());
    if (!probe->probabilities.empty()) {
        const int top = argmax(probe->probabilities.data(), int(probe->probabilities.size()));
        ImGui::Text(tr("read as %s (%.0f%%)"), class_name(d, top).c_str(), 100 * probe->probabilities[size_t(top)]);
    }
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos({a.x, a.y + big + 6});
    const float tile = ImGui::GetFontSize() * 2.4f;
    for (size_t r = 1; r < st.inside_rows.size(); ++r) {
        const ImageViewsState::InsideRow &row = st.inside_rows[r];
        ImGui::TextDisabled("%s", row.title.c_str());
        const ImVec2 o = ImGui::GetCursorScreenPos();
        const float avail = ImGui::GetContentRegionAvail().x;
        if (!row.image) {
            st.inside_atlas.draw(dl, row.first, o, {o.x + std::min(avail, tile * 10), o.y + tile * 0.5f});
            ImGui::Dummy({1, tile * 0.5f + 2});
            continue;
        }
        const int per_row = std::max(1, int(avail / (tile + 2)));
        for (int i = 0; i < row.count; ++i) {
            const ImVec2 t{o.x + float(i % per_row) * (tile + 2), o.y + float(i / per_row) * (tile + 2)};
            st.inside_atlas.draw(dl, row.first + i, t, {t.x + tile, t.y + tile});
        }
        ImGui::Dummy({1, float((row.count + per_row - 1) / per_row) * (tile + 2)});
    }
}

// The drawing pad: drawn with the mouse (or a finger), prepared as MNIST's digits were, read live.
void draw_tab(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    const liandan::Dataset &d = *snap.data;
    const liandan::Shape s = liandan::shape_of(d.sample_shape);
    if (s.c != 1 || s.h != 28 || s.w != 28) {
        ImGui::TextDisabled(tr("The pad draws 28 × 28 grey digits; this data set's images are %d × %d × %d."), s.c, s.h, s.w);
        return;
    }
    if (st.pad.size() != size_t(k_pad_side) * k_pad_side) st.pad.assign(size_t(k_pad_side) * k_pad_side, 0.0f), st.pad_dirty = true;
    // As large as fits beside the reading (and within a short panel's height), within reason.
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const float side = std::clamp(std::min(room.x * 0.45f, room.y - ImGui::GetStyle().ItemSpacing.y), ImGui::GetFontSize() * 8, ImGui::GetFontSize() * 16);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("drawing pad", {side, side});
    widget_locator_name_last_item("drawing pad");
    touch_drags_last_item(); // a finger draws here
    const bool drawing = ImGui::IsItemActive();
    if (drawing) {
        // A round brush about one MNIST stroke wide, soft at the edge; drawn along the path since the
        // last frame. A stroke starts where the button went down: the pointer may have come from
        // anywhere since the last frame (a move and a press in one frame drew a line from there).
        const ImVec2 m = ImGui::GetIO().MousePos, delta = ImGui::IsItemActivated() ? ImVec2(0, 0) : ImGui::GetIO().MouseDelta;
        const float scale = float(k_pad_side) / side, radius = 4.2f;
        const int steps = std::max(1, int(std::hypot(delta.x, delta.y) * scale / 2));
        for (int step = 0; step <= steps; ++step) {
            const float t = float(step) / float(steps);
            const float cx = (m.x - delta.x * (1 - t) - a.x) * scale, cy = (m.y - delta.y * (1 - t) - a.y) * scale;
            for (int y = int(cy - radius - 1); y <= int(cy + radius + 1); ++y)
                for (int x = int(cx - radius - 1); x <= int(cx + radius + 1); ++x) {
                    if (x < 0 || y < 0 || x >= k_pad_side || y >= k_pad_side) continue;
                    const float dist = std::hypot(float(x) + 0.5f - cx, float(y) + 0.5f - cy);
                    float &v = st.pad[size_t(y) * k_pad_side + size_t(x)];
                    v = std::max(v, std::clamp(radius - dist + 0.5f, 0.0f, 1.0f));
                }
        }
        st.pad_dirty = true;
    }
    // The pad and what the network is given: the prepared 28 × 28 digit.
    if (st.pad_dirty) {
        st.pad_dirty = false;
        st.prepared = liandan::mnist_style_digit(st.pad, k_pad_side);
        std::vector<uint32_t> pixels(size_t(k_pad_side) * k_pad_side), small(28 * 28);
        for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = ink(st.pad[i]);
        for (size_t i = 0; i < small.size(); ++i) small[i] = ink(st.prepared[i]);
        st.pad_atlas.reshape(k_pad_side, 1);
        st.pad_atlas.set_tile(0, pixels.data());
        st.pad_atlas.upload();
        st.prepared_atlas.reshape(28, 1);
        st.prepared_atlas.set_tile(0, small.data());
        st.prepared_atlas.upload();
        const bool any = std::any_of(st.prepared.begin(), st.prepared.end(), [](float v) { return v > 0; });
        if (any) { // the network reads it as it reads the data: normalized the same way
            std::vector<float> features(784);
            for (int i = 0; i < 784; ++i) features[size_t(i)] = (st.prepared[size_t(i)] - d.feature_offset[size_t(i)]) * d.feature_scale[size_t(i)];
            st.pad_in_use = true;
            sink.probe(features, ++st.probe_id);
        }
    }
    ImDrawList *dl = ImGui::GetWindowDrawList();
    st.pad_atlas.draw(dl, 0, a, {a.x + side, a.y + side});
    dl->AddRect(a, {a.x + side, a.y + side}, IM_COL32(120, 120, 120, 255));
    // Beside the pad, the reading: the answer first, then every class's share (ten bars are
    // shorter than the pad), so it is in sight as the digit is drawn.
    ImGui::SameLine();
    ImGui::BeginGroup();
    const liandan::Probe *probe = snap.probe && snap.probe->id == st.probe_id && st.pad_in_use ? snap.probe.get() : nullptr;
    if (probe && !probe->probabilities.empty()) {
        const std::vector<float> &p = probe->probabilities;
        const int top = argmax(p.data(), int(p.size()));
        ImGui::Text(tr("read as %s (%.0f%%)"), class_name(d, top).c_str(), 100 * p[size_t(top)]);
        probability_bars(d, p);
    } else {
        text_wrapped(tr("Draw a digit in the box (mouse or finger): the network's reading appears here as you draw."),
                     std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 8));
    }
    if (ImGui::Button(trl("Clear"))) std::fill(st.pad.begin(), st.pad.end(), 0.0f), st.pad_dirty = true, st.pad_in_use = false;
    ImGui::EndGroup();
    // Under the pad, what the network is given: the prepared 28 × 28 digit.
    const float small_side = std::round(ImGui::GetFontSize() * 5);
    const ImVec2 b = ImGui::GetCursorScreenPos();
    st.prepared_atlas.draw(dl, 0, b, {b.x + small_side, b.y + small_side});
    dl->AddRect(b, {b.x + small_side, b.y + small_side}, IM_COL32(160, 160, 160, 255));
    // The 20 × 20 box the digit was scaled into.
    const float px = small_side / 28;
    dl->AddRect({b.x + 4 * px, b.y + 4 * px}, {b.x + 24 * px, b.y + 24 * px}, IM_COL32(40, 90, 200, 120));
    ImGui::Dummy({small_side, small_side});
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped(tr("As the network sees it: the ink's box scaled to 20 × 20 (blue), centred by its mass in 28 × 28, as MNIST's digits were."),
                 std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 10));
    ImGui::PopStyleColor();
    ImGui::EndGroup();
}

} // namespace

void ImageViewsState::release_textures() {
    for (HeatmapAtlas *a : {&samples_atlas, &cell_atlas, &mistakes_atlas, &inside_atlas, &pad_atlas, &prepared_atlas}) a->release();
    samples_key.clear(), cell_key.clear(), mistakes_key.clear();
    inside_version = 0;
    pad_dirty = true;
}

void ImageViewsState::start_over(const liandan::Dataset *for_data) {
    data = for_data;
    show_test = open_inside = pad_in_use = false;
    page = 0, shuffle_seed = 0;
    cell_actual = cell_predicted = chosen_test = -1, cell_count = 0;
    pad.clear(), prepared.clear(), inside_rows.clear();
    samples_key.clear(), cell_key.clear(), mistakes_key.clear();
    inside_version = 0;
    pad_dirty = true;
}

void draw_image_views(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink) {
    if (!snap.data || snap.data->sample_shape.size() < 3 || snap.task != liandan::Task::classification) return;
    if (st.data != snap.data.get()) st.start_over(snap.data.get());
    if (!ImGui::BeginTabBar("image views")) return;
    const ImGuiTabItemFlags inside = st.open_inside ? ImGuiTabItemFlags_SetSelected : 0;
    st.open_inside = false;
    // Tabs report no label to the widget locator by themselves: named here, selected or not.
    auto tab = [](const char *label, ImGuiTabItemFlags flags = 0) {
        const bool open = ImGui::BeginTabItem(label, nullptr, flags);
        widget_locator_name_last_item(label);
        return open;
    };
    if (tab(trl("Samples"))) samples_tab(snap, st, sink), ImGui::EndTabItem();
    if (tab(trl("Confusion"))) confusion_tab(snap, st, sink), ImGui::EndTabItem();
    if (tab(trl("Mistakes"))) mistakes_tab(snap, st, sink), ImGui::EndTabItem();
    if (tab(trl("Inside"), inside)) inside_tab(snap, st, sink), ImGui::EndTabItem();
    if (tab(trl("Draw"))) draw_tab(snap, st, sink), ImGui::EndTabItem();
    ImGui::EndTabBar();
}
