// A lesson beside the network (core/lesson.h): its title and text, the variants to compare as
// buttons (the one in force marked), and Close.
#include <imgui.h>

#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

void draw_lesson_view(const liandan::Lesson &lesson, ViewContext &ctx) {
    const std::string &language = ui_language();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::ok_text);
    text_wrapped(lesson.title.in(language));
    ImGui::PopStyleColor();
    ImGui::Separator();
    text_wrapped(lesson.text.in(language));
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("Compare:"));
    for (size_t i = 0; i < lesson.variants.size(); ++i) {
        const liandan::Lesson::Variant &v = lesson.variants[i];
        const std::string label = v.label.in(language) + "###variant " + v.name;
        // Buttons flow along the line and wrap (ImGui's own idiom: the last item's right edge).
        const float width = button_width(label.c_str());
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        if (i > 0 && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) ImGui::SameLine();
        const bool current = v.name == ctx.lesson_variant;
        if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(label.c_str())) ctx.commands.open_lesson(lesson.id, v.name);
        if (current) ImGui::PopStyleColor();
        item_tooltip(current ? tr("The variant in force; click to start it over.") : tr("Load this variant of the lesson's experiment, then press Play."));
    }
    ImGui::Spacing();
    if (ImGui::SmallButton(trl("Close lesson"))) ctx.commands.close_lesson();
    ctx.settings.lesson_height = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
}
