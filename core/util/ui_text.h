// Marks a text the interface shows to people, as gettext's N_() does: it stays the English here,
// scripts/ui-strings.mjs lists it for the catalogs in assets/i18n/, and the interface translates
// it where it shows it. The core itself knows nothing of languages.
#pragma once

#define N_(text) text
