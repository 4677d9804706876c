// The lessons of assets/lessons/, built into the app (lessons_data.cpp.in, generated at configure time).
#pragma once
#include <vector>

#include "lesson.h"

const std::vector<liandan::Lesson> &app_lessons();
