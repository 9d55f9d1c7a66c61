//! Words the workbooks gained for issue 18 (ranking by every target, partial
//! scores, coaching order, calibration sheets, glossary…), Russian and
//! English side by side like [`super::labels`], kept apart so that the main
//! table stays under the file-size bar and parallel edits do not collide.

use crate::lang::Lang;

pub(crate) struct Words {
    /// Short name of the score target in "not met: score, customer".
    pub goal_score: &'static str,
    /// How the Agents and Teams tables are ordered, under the table.
    pub rank_order: &'static str,
    /// The feedback heading line on whether every target is met.
    pub k_all_targets: &'static str,
}

static RU: Words = Words {
    goal_score: "оценка",
    rank_order: "Порядок мест: сначала выполнившие все цели (средняя оценка и точность по каждому \
                 классу критичных ошибок) — по средней оценке; затем не выполнившие хотя бы одну \
                 цель — по числу автопровалов (меньше — выше), затем по числу невыполненных целей \
                 по точности и отставанию от них, затем по средней оценке. С малой выборкой — в \
                 конце, без места. Невыполненные цели выделены красным.",
    k_all_targets: "Все цели",
};

static EN: Words = Words {
    goal_score: "score",
    rank_order: "Ranking: first those who meet every target (mean score and the accuracy of \
                 each critical error class), by mean score; then those who miss any target, by \
                 auto-fails (fewer first), then by how many accuracy targets they miss and by \
                 how far, then by mean score. Samples too small come last, unranked. Missed \
                 targets are shown in red.",
    k_all_targets: "All targets",
};

impl Words {
    pub fn for_lang(lang: Lang) -> &'static Words {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}
