//! The words of the verdicts and of `cqa report`'s merge of results, in
//! Russian (first: most QA departments using cqa work in Russian) and
//! English, one table per language so that both always have the same set
//! (a missing field is a compile error).

use crate::words::Lang;

pub(crate) struct ResultsWords {
    // A criterion's status, as a controller reads it (`Status::label`).
    pub pass: &'static str,
    pub fail: &'static str,
    pub na: &'static str,
    pub pending: &'static str,
    pub review: &'static str,
    /// The report's note when identical results were given again: how many,
    /// the first two files that held them.
    pub repeated: fn(u64, &str, &str) -> String,
}

pub(crate) static RU: ResultsWords = ResultsWords {
    pass: "выполнено",
    fail: "нарушение",
    na: "неприменимо",
    pending: "ожидает оценки",
    review: "на проверку",
    repeated: |n, a, b| {
        format!(
            "{n} одинаковых результатов встретились повторно ({a} и {b}): каждый учтён один раз"
        )
    },
};

pub(crate) static EN: ResultsWords = ResultsWords {
    pass: "pass",
    fail: "fail",
    na: "n/a",
    pending: "pending",
    review: "to review",
    repeated: |n, a, b| {
        format!("{n} identical results were given again ({a} and {b}): each is counted once")
    },
};

impl ResultsWords {
    pub fn for_lang(lang: Lang) -> &'static ResultsWords {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Status;

    #[test]
    fn every_status_reads_in_the_report_language() {
        let all = [
            Status::Pass,
            Status::Fail,
            Status::Na,
            Status::Pending,
            Status::Review,
        ];
        let ru: Vec<&str> = all.iter().map(|s| s.label(Lang::Ru)).collect();
        let en: Vec<&str> = all.iter().map(|s| s.label(Lang::En)).collect();
        assert_eq!(
            ru,
            [
                "выполнено",
                "нарушение",
                "неприменимо",
                "ожидает оценки",
                "на проверку"
            ]
        );
        assert_eq!(en, ["pass", "fail", "n/a", "pending", "to review"]);
    }

    #[test]
    fn the_repeated_results_note_names_the_count_and_both_files() {
        let say = |lang| {
            (ResultsWords::for_lang(lang).repeated)(
                12,
                "итоги/октябрь/results.jsonl",
                "итоги/shard-2/results.jsonl",
            )
        };
        assert_eq!(
            say(Lang::Ru),
            "12 одинаковых результатов встретились повторно (итоги/октябрь/results.jsonl и итоги/shard-2/results.jsonl): каждый учтён один раз"
        );
        assert_eq!(
            say(Lang::En),
            "12 identical results were given again (итоги/октябрь/results.jsonl and итоги/shard-2/results.jsonl): each is counted once"
        );
    }
}
