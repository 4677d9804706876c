// The data-file controls: "Open data file..." (the page's file picker, natively a path field),
// what the last file gave or what a lone IDX file is waiting for, and the target column of a CSV.
#include <cstdio>

#include <imgui.h>

#include "data_files.h"
#include "data/catalog.h"
#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

void draw_data_files_view(ViewContext &ctx) {
    DataFiles &files = ctx.files;
    if (ImGui::Button(trl("Open data file..."))) ctx.commands.request_open();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr("A CSV file with a header row, or IDX images and labels (MNIST format, plain or .gz).\n"
                                   "Dropping files on the window works too (key: o)"));
    if (files.show_path_field) {
        static char path[1024];
        if (files.path_field != path) std::snprintf(path, sizeof path, "%s", files.path_field.c_str());
        ImGui::SetNextItemWidth(-60);
        bool enter = ImGui::InputText("##data_path", path, sizeof path, ImGuiInputTextFlags_EnterReturnsTrue);
        files.path_field = path;
        ImGui::SameLine();
        if ((ImGui::Button(trl("Open")) || enter) && path[0]) ctx.commands.open_data_file(path);
    }
    if (!files.message().empty()) {
        if (files.message_is_error()) ImGui::PushStyleColor(ImGuiCol_Text, palette::error_text);
        text_wrapped(display_message(files.message())); // kept in English (the page API's), shown as the status bar's are
        if (files.message_is_error()) ImGui::PopStyleColor();
    }
    const liandan::Spec &spec = ctx.spec;
    const std::vector<std::string> &columns = files.columns(spec);
    const std::string target = liandan::resolve_named_set(spec.data).target; // a named table's own when not chosen
    if (!columns.empty() && ImGui::BeginCombo(trl("Target"), target.c_str())) {
        for (const std::string &c : columns)
            if (ImGui::Selectable(c.c_str(), c == target) && c != target) ctx.commands.set_target(c);
        ImGui::EndCombo();
    }
    if (!columns.empty() && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr("The column to predict; the others are the inputs (text columns one-hot)"));
}
