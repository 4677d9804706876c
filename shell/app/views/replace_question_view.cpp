// The question asked before a lesson from the menu or a link given to the address bar replaces
// the user's own trained run: what would replace it, how to keep the run first, Open or Cancel.
#include <algorithm>
#include <string>

#include <imgui.h>

#include "i18n/tr.h"
#include "views/views.h"

void draw_replace_question(const liandan::Snapshot &snap, ViewContext &ctx) {
    const std::optional<AskedReplacement> &asked = ctx.commands.asked_replacement();
    const char *popup = "###open over a run";
    if (asked && !ImGui::IsPopupOpen(popup)) ImGui::OpenPopup(popup);
    const liandan::Lesson *lesson = asked ? asked->lesson : nullptr;
    const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
    ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, {0.5f, 0.5f});
    const std::string title = std::string(lesson ? tr("Open the lesson?") : tr("Open the link?")) + popup;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
    if (!asked) { // answered elsewhere
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const float room = std::min(ImGui::GetFontSize() * 28, ImGui::GetMainViewport()->Size.x - 4 * ImGui::GetFontSize());
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + room);
    if (lesson)
        ImGui::Text(tr("\"%s\" opens an experiment of its own in place of yours (epoch %d, step %lld)."), lesson->title.in(ui_language()).c_str(),
                    snap.epoch_now, static_cast<long long>(snap.steps_now));
    else
        ImGui::Text(tr("This link opens another experiment in place of yours (epoch %d, step %lld)."), snap.epoch_now,
                    static_cast<long long>(snap.steps_now));
    ImGui::TextDisabled("%s", tr("To keep yours, choose Cancel, then Experiment > Download experiment (all): Open takes it back."));
    ImGui::PopTextWrapPos();
    // Enter opens, Escape cancels: the keys of a browser's own confirmations.
    if (ImGui::Button(lesson ? trl("Open the lesson") : trl("Open the link")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
        ctx.commands.answer_replacement(true);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(trl("Cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        ctx.commands.answer_replacement(false);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}
