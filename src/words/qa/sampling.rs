//! The sample's words (`cqa sample`): the Parameters sheet of sample.xlsx
//! and why each contact was selected (sample.csv and sample.xlsx).

use crate::words::Lang;

/// Russian first, English second; a missing word is a compile error.
pub(crate) struct SampleWords {
    // Sheet names of sample.xlsx.
    pub sh_sample: &'static str,
    pub sh_parameters: &'static str,
    // Keys of the Parameters sheet.
    pub k_pool: &'static str,
    pub k_period: &'static str,
    pub k_per: &'static str,
    pub k_quotas: &'static str,
    pub k_complaints: &'static str,
    pub k_long: &'static str,
    pub k_low_csat: &'static str,
    pub k_flagged: &'static str,
    // What is done with contacts the rules flag.
    pub flagged_ignored: &'static str,
    pub flagged_included: &'static str,
    pub weight: &'static str,
    pub k_pool_contacts: &'static str,
    pub k_excluded: &'static str,
    pub k_strata: &'static str,
    pub k_short_strata: &'static str,
    pub k_undated: &'static str,
    pub k_selected: &'static str,
    // Why a contact was selected: a flag, or its stratum's draw.
    pub complaint: &'static str,
    pub duration: &'static str,
    pub seconds: &'static str,
    pub always_included: &'static str,
    pub all: &'static str,
    pub quota: &'static str,
    pub random_draw: &'static str,
    pub of: &'static str,
}

pub(crate) static RU: SampleWords = SampleWords {
    sh_sample: "Выборка",
    sh_parameters: "Параметры",
    k_pool: "Источник",
    k_period: "Период",
    k_per: "На оператора × канал × период",
    k_quotas: "Квоты по каналам",
    k_complaints: "Категории жалоб",
    k_long: "Долгие, с",
    k_low_csat: "Низкий CSAT",
    k_flagged: "Отмеченные правилами",
    flagged_ignored: "не учитываются",
    flagged_included: "включаются все",
    weight: "вес",
    k_pool_contacts: "Контактов в источнике",
    k_excluded: "Исключено (уже оценены)",
    k_strata: "Страт",
    k_short_strata: "Страт меньше квоты",
    k_undated: "Без даты",
    k_selected: "Отобрано",
    complaint: "жалоба",
    duration: "длительность",
    seconds: "с",
    always_included: "обязательно",
    all: "все",
    quota: "квота",
    random_draw: "случайный отбор",
    of: "из",
};

pub(crate) static EN: SampleWords = SampleWords {
    sh_sample: "Sample",
    sh_parameters: "Parameters",
    k_pool: "Pool",
    k_period: "Period",
    k_per: "Per agent × channel × period",
    k_quotas: "Per-channel quotas",
    k_complaints: "Complaint categories",
    k_long: "Long, s",
    k_low_csat: "Low CSAT",
    k_flagged: "Flagged contacts",
    flagged_ignored: "ignored",
    flagged_included: "all included",
    weight: "weight",
    k_pool_contacts: "Contacts in the pool",
    k_excluded: "Excluded (already evaluated)",
    k_strata: "Strata",
    k_short_strata: "Strata below quota",
    k_undated: "Undated",
    k_selected: "Selected",
    complaint: "complaint",
    duration: "duration",
    seconds: "s",
    always_included: "always included",
    all: "all",
    quota: "quota",
    random_draw: "random draw",
    of: "of",
};

impl SampleWords {
    pub fn for_lang(lang: Lang) -> &'static SampleWords {
        match lang {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}
